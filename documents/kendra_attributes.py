"""Document attributes: Kendra's reserved fields, type checks against an index's field definitions,
and AttributeFilter evaluation.

Attribute values are kept as the wire has them (`{"StringValue": ...}`, dates as ISO text); `typed`
turns one into a Python value that compares as Kendra compares (dates in time order).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from core.errors import ValidationError
from documents.kendra_shapes import AttributeFilterShape, DocumentAttribute

MEMBER_OF_TYPE = {"STRING_VALUE": "StringValue", "STRING_LIST_VALUE": "StringListValue",
                  "LONG_VALUE": "LongValue", "DATE_VALUE": "DateValue"}
TYPE_OF_MEMBER = {member: type_ for type_, member in MEMBER_OF_TYPE.items()}


def _field(name: str, type_: str, *, facetable=False, searchable=False, displayable=False, sortable=False) -> dict:
    return {"Name": name, "Type": type_, "Search": {"Facetable": facetable, "Searchable": searchable,
                                                    "Displayable": displayable, "Sortable": sortable}}


# Every index starts with these (as DescribeIndex shows them on AWS); UpdateIndex may change their Search.
RESERVED_FIELDS = [
    _field("_authors", "STRING_LIST_VALUE", facetable=True, displayable=True),
    _field("_category", "STRING_VALUE", facetable=True, searchable=True, displayable=True),
    _field("_created_at", "DATE_VALUE", facetable=True, displayable=True, sortable=True),
    _field("_data_source_id", "STRING_VALUE", facetable=True),
    _field("_document_title", "STRING_VALUE", searchable=True, displayable=True, sortable=True),
    _field("_excerpt_page_number", "LONG_VALUE"),
    _field("_faq_id", "STRING_VALUE", facetable=True),
    _field("_file_type", "STRING_VALUE", facetable=True, displayable=True),
    _field("_language_code", "STRING_VALUE", facetable=True),
    _field("_last_updated_at", "DATE_VALUE", facetable=True, displayable=True, sortable=True),
    _field("_source_uri", "STRING_VALUE", displayable=True),
    _field("_version", "STRING_VALUE", displayable=True),
    _field("_view_count", "LONG_VALUE", displayable=True, sortable=True),
]


def wire_value(value: dict[str, Any]) -> tuple[str, Any]:
    """(type, value) of an attribute value that has exactly one member set."""
    present = [(member, v) for member, v in value.items() if v is not None]
    if len(present) != 1:
        raise ValidationError("A DocumentAttributeValue must have exactly one of StringValue, StringListValue, "
                              "LongValue or DateValue.")
    member, v = present[0]
    return TYPE_OF_MEMBER[member], v


def stored(attribute: DocumentAttribute) -> dict[str, Any]:
    """An attribute value as the store keeps it: its one member, dates as ISO text in UTC."""
    type_, value = wire_value(attribute.Value.model_dump())
    if type_ == "DATE_VALUE":
        value = _utc(value).isoformat()
    return {MEMBER_OF_TYPE[type_]: value}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def typed(value: dict[str, Any]) -> Any:
    type_, v = wire_value(value)
    if type_ == "DATE_VALUE":
        return _utc(v if isinstance(v, datetime) else datetime.fromisoformat(v))
    if type_ == "STRING_LIST_VALUE":
        return list(v)
    return v


def check_types(attributes: list[DocumentAttribute], fields: dict[str, dict]) -> str | None:
    """Why a document's attributes do not fit the index's fields, or None when they do."""
    for attribute in attributes:
        field = fields.get(attribute.Key)
        if field is None:
            return (f"The attribute {attribute.Key} is not a field of the index; add it with UpdateIndex "
                    "(DocumentMetadataConfigurationUpdates) first.")
        try:
            type_, _ = wire_value(attribute.Value.model_dump())
        except ValidationError as exc:
            return f"The attribute {attribute.Key}: {exc.message}"
        if type_ != field["Type"]:
            return f"The attribute {attribute.Key} is a {field['Type']} field of the index, but the value is a {type_}."
    return None


def _compare(op: str, condition: DocumentAttribute, attributes: dict[str, dict]) -> bool:
    have = attributes.get(condition.Key)
    if have is None:
        return False
    actual, wanted = typed(have), typed(condition.Value.model_dump())
    if op == "EqualsTo":
        return actual == wanted
    if op in ("ContainsAny", "ContainsAll"):
        actual_set = set(actual) if isinstance(actual, list) else {actual}
        wanted_set = set(wanted) if isinstance(wanted, list) else {wanted}
        return bool(actual_set & wanted_set) if op == "ContainsAny" else wanted_set <= actual_set
    if isinstance(actual, list) or isinstance(wanted, list) or type(actual) is not type(wanted):
        raise ValidationError(f"{op} compares LONG_VALUE, DATE_VALUE or STRING_VALUE attributes of one type; "
                              f"{condition.Key} cannot be compared so.")
    return {"GreaterThan": actual > wanted, "GreaterThanOrEquals": actual >= wanted,
            "LessThan": actual < wanted, "LessThanOrEquals": actual <= wanted}[op]



def matches(filter_: AttributeFilterShape, attributes: dict[str, dict]) -> bool:
    """Whether a document's attributes satisfy a filter (one member set, as Kendra requires)."""
    set_members = [name for name in type(filter_).model_fields if getattr(filter_, name) is not None]
    if len(set_members) != 1:
        raise ValidationError(f"An AttributeFilter must set exactly one member; this one sets {set_members or 'none'}.")
    member = set_members[0]
    if member == "AndAllFilters":
        return all(matches(f, attributes) for f in filter_.AndAllFilters)
    if member == "OrAllFilters":
        return any(matches(f, attributes) for f in filter_.OrAllFilters)
    if member == "NotFilter":
        return not matches(filter_.NotFilter, attributes)
    return _compare(member, getattr(filter_, member), attributes)


__all__ = ["RESERVED_FIELDS", "check_types", "matches", "stored", "typed", "wire_value"]
