"""Text field declarations: checked against the models when declared, read and written in place."""

from __future__ import annotations

import pytest

from core.service import Blob, Service, Shape, operation
from core.text_fields import slots


class Item(Shape):
    Text: str
    Score: float


class Request(Shape):
    TextList: list[str]
    Note: str | None = None
    Content: Blob | None = None
    ContentType: str | None = None


class Response(Shape):
    Results: list[Item]


def declare(**text: object) -> type[Service]:
    class Analysis(Service):
        name = "analysis"

        @operation(**text)
        def analyse(self, request: Request) -> Response:
            return Response(Results=[])

    return Analysis


@pytest.mark.parametrize(("text", "problem"), [
    ({"text_out": ("Results[*].Score",)}, "not str or bytes"),
    ({"text_out": ("Results.Text",)}, r"is a list: Results\[\*\]"),
    ({"text_in": ("Note[*]",)}, "is not a list"),
    ({"text_in": ("Missing",)}, "not a member of Request"),
    ({"text_in": ("Content",)}, "document_type"),
])
def test_paths_are_checked_when_the_operation_is_declared(text: dict, problem: str) -> None:
    with pytest.raises(TypeError, match=problem):
        declare(**text)


def test_documents_name_their_content_type() -> None:
    op = declare(text_in=("Content",), document_type="ContentType").operations()["Analyse"]
    assert op.text.content_type(Request(TextList=[], ContentType="text/plain")) == "text/plain"


def test_slots_read_and_replace_in_document_order() -> None:
    response = Response(Results=[Item(Text="a", Score=1), Item(Text="b", Score=2)])
    found = slots(response, "Results[*].Text")
    assert [s.get() for s in found] == ["a", "b"]
    found[1].set("B")
    assert response.Results[1].Text == "B"
    request = Request(TextList=["x", "y"])
    assert [s.get() for s in slots(request, "TextList[*]")] == ["x", "y"]
    assert slots(request, "Note") == []  # an absent optional member has nothing to redact
