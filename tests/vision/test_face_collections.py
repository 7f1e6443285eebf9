"""CompareFaces and face collections in process: calibrated similarity on real portraits, and
collections that persist across a restart."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import InvalidPaginationToken, InvalidParameter, ResourceAlreadyExists, ResourceNotFound
from tests.vision.conftest import registry_for
from tests.vision.sample_images import ASTRONAUT, COFFEE, GRACE_HOPPER, astronaut_flipped
from vision.face_matching import similarity, threshold_distance
from vision import face_store
from vision.face_store import FaceStore
from vision.rekognition import Rekognition


def test_same_person_is_similar_and_different_people_are_not(rekognition: Rekognition) -> None:
    same = rekognition.compare_faces(source_image=ASTRONAUT, target_image=astronaut_flipped())
    (match,) = same.FaceMatches
    assert match.Similarity >= 90 and same.UnmatchedFaces == []
    assert 0.3 < same.SourceImageFace.BoundingBox.Left < 0.4
    assert {lm.Type for lm in match.Face.Landmarks} >= {"eyeLeft", "eyeRight", "nose"}
    other = rekognition.compare_faces(source_image=ASTRONAUT, target_image=GRACE_HOPPER, similarity_threshold=0)
    assert other.FaceMatches[0].Similarity <= 50
    strict = rekognition.compare_faces(source_image=ASTRONAUT, target_image=GRACE_HOPPER)
    assert strict.FaceMatches == [] and len(strict.UnmatchedFaces) == 1


def test_no_face_in_the_source_is_invalid(rekognition: Rekognition) -> None:
    with pytest.raises(InvalidParameter, match="no faces"):
        rekognition.compare_faces(source_image=COFFEE, target_image=ASTRONAUT)


def test_similarity_and_its_threshold_are_inverse() -> None:
    for threshold in (10.0, 50.0, 80.0, 99.0):
        assert similarity(np.array([threshold_distance(threshold)]))[0] == pytest.approx(threshold)
    assert similarity(np.array([0.2]))[0] > 99 and similarity(np.array([0.75]))[0] < 1


def test_collection_lifecycle_and_search(rekognition: Rekognition) -> None:
    created = rekognition.create_collection("staff")
    assert created.StatusCode == 200 and created.CollectionArn.endswith(":collection/staff")
    with pytest.raises(ResourceAlreadyExists):
        rekognition.create_collection("staff")
    astro = rekognition.index_faces("staff", ASTRONAUT, external_image_id="eileen", detection_attributes=["ALL"])
    (record,) = astro.FaceRecords
    assert record.Face.ExternalImageId == "eileen" and record.FaceDetail.EyesOpen.Value is True
    rekognition.index_faces("staff", GRACE_HOPPER, external_image_id="grace")
    assert rekognition.describe_collection("staff").FaceCount == 2

    found = rekognition.search_faces_by_image("staff", astronaut_flipped())
    assert [m.Face.ExternalImageId for m in found.FaceMatches] == ["eileen"]
    assert found.FaceMatches[0].Similarity >= 90
    everyone = rekognition.search_faces("staff", record.Face.FaceId, face_match_threshold=0)
    assert [m.Face.ExternalImageId for m in everyone.FaceMatches] == ["grace"]  # never itself
    assert rekognition.search_faces("staff", record.Face.FaceId).FaceMatches == []

    first = rekognition.list_faces("staff", max_results=1)
    second = rekognition.list_faces("staff", next_token=first.NextToken)
    assert [f.ExternalImageId for f in first.Faces + second.Faces] == ["eileen", "grace"]
    assert second.NextToken is None
    with pytest.raises(InvalidPaginationToken):
        rekognition.list_faces("staff", next_token="nonsense")

    missing = "00000000-0000-4000-8000-000000000000"
    deleted = rekognition.delete_faces("staff", [record.Face.FaceId, missing])
    assert deleted.DeletedFaces == [record.Face.FaceId]
    assert deleted.UnsuccessfulFaceDeletions[0].FaceId == missing
    assert rekognition.search_faces_by_image("staff", astronaut_flipped()).FaceMatches == []
    with pytest.raises(InvalidParameter):
        rekognition.search_faces("staff", record.Face.FaceId)

    assert "staff" in rekognition.list_collections().CollectionIds
    rekognition.delete_collection("staff")
    assert "staff" not in rekognition.list_collections().CollectionIds


def test_unknown_collection_is_resource_not_found(rekognition: Rekognition) -> None:
    for call in (lambda: rekognition.describe_collection("nobody"), lambda: rekognition.delete_collection("nobody"),
                 lambda: rekognition.index_faces("nobody", ASTRONAUT), lambda: rekognition.list_faces("nobody"),
                 lambda: rekognition.search_faces_by_image("nobody", ASTRONAUT)):
        with pytest.raises(ResourceNotFound, match="nobody"):
            call()


def test_max_faces_and_images_without_faces(rekognition: Rekognition) -> None:
    rekognition.create_collection("limits")
    assert rekognition.index_faces("limits", COFFEE).FaceRecords == []
    with pytest.raises(InvalidParameter, match="no faces"):
        rekognition.search_faces_by_image("limits", COFFEE)
    rekognition.delete_collection("limits")


def test_collections_survive_a_restart(rekognition: Rekognition, monkeypatch: pytest.MonkeyPatch) -> None:
    rekognition.create_collection("durable")
    indexed = rekognition.index_faces("durable", ASTRONAUT, external_image_id="eileen").FaceRecords[0].Face
    # A new process: a new registry on the same data folder, no store or matrix cached.
    monkeypatch.setattr(face_store, "_OPEN", {})
    restarted = Rekognition(registry_for(rekognition._models.settings))
    assert restarted.describe_collection("durable").FaceCount == 1
    matches = restarted.search_faces_by_image("durable", astronaut_flipped()).FaceMatches
    assert [(m.Face.FaceId, m.Face.ExternalImageId) for m in matches] == [(indexed.FaceId, "eileen")]
    restarted.delete_collection("durable")


def test_store_search_matches_brute_force(tmp_path) -> None:
    store = FaceStore(tmp_path)
    store.create("many")
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(500, 128)).astype(np.float32) * 0.05
    ids = [f"{i:08x}-0000-4000-8000-000000000000" for i in range(500)]
    box = {"Width": 1, "Height": 1, "Left": 0, "Top": 0}
    store.add("many", "img", None, [(fid, box, 99.0) for fid in ids], vectors)
    query = vectors[7] + 0.001
    nearest = store.nearest("many", query, max_distance=10.0, limit=5)
    brute = np.argsort(np.linalg.norm(vectors - query, axis=1))[:5]
    assert [fid for fid, _ in nearest] == [ids[i] for i in brute]
    assert nearest[0][1] == pytest.approx(float(np.linalg.norm(vectors[7] - query)), abs=1e-4)
