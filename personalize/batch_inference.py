"""Batch inference, one input file at a time: RecommendJsonLines answers every line of a JSON-lines file
({"userId"} or {"itemId"}, {"userId", "itemList"} for ranking) with a line of its own. It is not an AWS
operation: CreateBatchInferenceJob (gateway/jobs/aws_personalize.py) runs it on every file under the
job's input path, and it serves one file synchronously on the REST door and the SDK."""

from __future__ import annotations

import json
from typing import Any

from core.errors import InvalidInput
from core.service import Shape, operation
from personalize.aws_shapes import CONTROL
from personalize.campaigns import CampaignOperations, serving_of
from personalize.recipes import recipe_named
from personalize.serving import DEFAULT_RESULTS, Query, Serving

BatchInferenceJobConfig = CONTROL["BatchInferenceJobConfig"]


class RecommendJsonLinesRequest(Shape):
    jsonLines: str  # the input file's text
    solutionVersionArn: str
    filterArn: str | None = None
    numResults: int | None = None
    batchInferenceJobConfig: BatchInferenceJobConfig | None = None  # type: ignore[valid-type]


class RecommendJsonLinesResponse(Shape):
    results: str  # JSON lines: {"input", "output", "error"} for each non-blank input line, in order


class BatchInferenceOperations(CampaignOperations):
    def batch_serving(self, version_arn: str, filter_arn: str | None,
                      config: dict[str, Any] | None) -> tuple[Serving, str | None]:
        """How a batch serves the version, and its filter's expression: refuses a version not trained, a
        filter of another dataset group and a bad exploration weight, before any line is read."""
        serving = serving_of(self._active_version(version_arn), config)
        return serving, self.filter_expression(filter_arn, serving.dataset_group)

    @operation
    def recommend_json_lines(self, request: RecommendJsonLinesRequest) -> RecommendJsonLinesResponse:
        """Recommend (or rank) for every line of one batch inference input file; a bad line is answered
        with its error and the others go on. A file with no JSON line at all is refused."""
        serving, expression = self.batch_serving(request.solutionVersionArn, request.filterArn,
                                                 self._config(request.batchInferenceJobConfig))
        lines = [line for line in request.jsonLines.splitlines() if line.strip()]
        answers = [self._answer(line, serving, expression, request.numResults or DEFAULT_RESULTS) for line in lines]
        if answers and all(a["error"] == _NOT_JSON for a in answers):
            raise InvalidInput("The file is not JSON lines: none of its lines is JSON.")
        return RecommendJsonLinesResponse(results="".join(json.dumps(a) + "\n" for a in answers))

    def _answer(self, line: str, serving: Serving, expression: str | None, num_results: int) -> dict[str, Any]:
        """One output line: the input, its output, or the error that line met."""
        try:
            given = json.loads(line)
        except ValueError:
            return {"input": line, "output": None, "error": _NOT_JSON}
        from personalize.recommend import recommend  # numpy loads with the first recommendation

        try:
            # What the recipe answers, as GetRecommendations asks it: a userId or an itemId (similar items);
            # ranking needs an itemList, which any version can rank for a user.
            wanted = recipe_named(serving.recipe).query or "itemList"
            if not isinstance(given, dict) or not given.get(wanted):
                raise InvalidInput(f"A line for a version of the {serving.recipe} recipe must be a JSON object"
                                   f" with a {wanted}.")
            query = Query(user_id=given.get("userId"), item_id=given["itemId"] if wanted == "itemId" else None,
                          num_results=num_results, filter_expression=expression,
                          filter_values=given.get("filterValues") or {}, candidates=given.get("itemList"))
            ranked = recommend(self._state, serving, query)
        except InvalidInput as exc:
            return {"input": given, "output": None, "error": exc.message}
        key = "recommendedItems" if query.candidates is None else "rankedItems"
        return {"input": given, "output": {key: [i for i, _ in ranked], "scores": [s for _, s in ranked]},
                "error": None}


_NOT_JSON = "The line is not JSON."
