"""Recipes, solutions and solution versions: training runs as a durable job that also measures the
version's offline metrics on AWS's holdout (personalize/metrics.py)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from core.errors import InvalidInput, ResourceInUse
from core.service_jobs import JobRecord
from personalize import jobs
from personalize.aws_shapes import CONTROL, aws_operation
from personalize.datasets import DatasetOperations
from personalize.recipes import RECIPES, check_recipe, recipe_by_arn
from personalize.resources import CAMPAIGN, DATASET_GROUP, SOLUTION, SOLUTION_VERSION, listing

# AWS's recipes were all published before any of this gateway's resources: one fixed date.
RECIPE_DATE = datetime(2019, 6, 10, tzinfo=timezone.utc)


def version_id(version_arn: str) -> str:
    return version_arn.rsplit("/", 1)[-1]


class SolutionOperations(DatasetOperations):
    # Recipes

    @aws_operation(CONTROL, "ListRecipes")
    def list_recipes(self, request):
        """The recipes this gateway trains."""
        recipes = [] if request.domain else RECIPES  # no domain (VIDEO_ON_DEMAND, ECOMMERCE) recipes
        summaries = [{"name": r.name, "recipeArn": r.arn, "status": "ACTIVE", "creationDateTime": RECIPE_DATE,
                      "lastUpdatedDateTime": RECIPE_DATE} for r in recipes]
        return listing("ListRecipes", "recipes", summaries, request, summary="RecipeSummary")

    @aws_operation(CONTROL, "DescribeRecipe")
    def describe_recipe(self, request):
        """Describe a recipe: its type and what it learns."""
        recipe = recipe_by_arn(request.recipeArn)
        return CONTROL.response("DescribeRecipe")(recipe={
            "name": recipe.name, "recipeArn": recipe.arn, "status": "ACTIVE", "description": recipe.description,
            "recipeType": recipe.recipe_type, "algorithmArn": recipe.arn.replace(":recipe/", ":algorithm/"),
            "creationDateTime": RECIPE_DATE, "lastUpdatedDateTime": RECIPE_DATE})

    # Solutions

    @aws_operation(CONTROL, "CreateSolution")
    def create_solution(self, request):
        """Create a solution: a recipe and its configuration for a dataset group; CreateSolutionVersion trains it."""
        self._get(DATASET_GROUP, request.datasetGroupArn)
        if not request.recipeArn:
            raise InvalidInput("recipeArn is required: AutoML is not offered; ListRecipes gives the recipes.")
        check_recipe(request.recipeArn)
        config = request.solutionConfig.model_dump(exclude_none=True) if request.solutionConfig else None
        solution_arn = SOLUTION.arn(request.name)
        self._create(SOLUTION, solution_arn, request.name, request.datasetGroupArn,
                     datasetGroupArn=request.datasetGroupArn, recipeArn=request.recipeArn,
                     eventType=request.eventType, solutionConfig=config, performHPO=bool(request.performHPO),
                     performAutoML=False)
        return CONTROL.response("CreateSolution")(solutionArn=solution_arn)

    @aws_operation(CONTROL, "DescribeSolution")
    def describe_solution(self, request):
        """Describe a solution, with a summary of its latest version."""
        props = self._get(SOLUTION, request.solutionArn)
        versions = jobs.jobs(self._state, SOLUTION_VERSION, solutionArn=request.solutionArn)
        if versions:
            props["latestSolutionVersion"] = versions[-1]
        return CONTROL.response("DescribeSolution")(solution=props)

    @aws_operation(CONTROL, "ListSolutions")
    def list_solutions(self, request):
        """The solutions of a dataset group (or all), oldest first."""
        found = self._state.store.find(SOLUTION.slug, request.datasetGroupArn)
        return listing("ListSolutions", "solutions", found, request, kind=SOLUTION)

    @aws_operation(CONTROL, "DeleteSolution")
    def delete_solution(self, request):
        """Delete a solution that no campaign serves."""
        self._get(SOLUTION, request.solutionArn)
        prefix = request.solutionArn + "/"
        if any(c["solutionVersionArn"].startswith(prefix) for c in self._state.store.find(CAMPAIGN.slug)):
            raise ResourceInUse(f"A campaign serves a version of {request.solutionArn}; delete the campaign first.")
        self._state.store.delete(request.solutionArn)
        return CONTROL.response("DeleteSolution")()

    # Solution versions

    @aws_operation(CONTROL, "CreateSolutionVersion")
    def create_solution_version(self, request):
        """Train a solution on its dataset group's current data, as a job: poll DescribeSolutionVersion."""
        solution = self._get(SOLUTION, request.solutionArn)
        version_arn = f"{request.solutionArn}/{uuid.uuid4().hex[:8]}"
        params = {k: solution.get(k) for k in ("solutionArn", "recipeArn", "datasetGroupArn", "eventType",
                                               "solutionConfig", "performHPO", "performAutoML")}
        params.update(name=request.name or solution["name"], trainingMode=request.trainingMode or "FULL",
                      trainingType="MANUAL")
        jobs.submit(self._state, SOLUTION_VERSION, version_arn, version_id(version_arn),
                    {k: v for k, v in params.items() if v is not None}, self._train)
        return CONTROL.response("CreateSolutionVersion")(solutionVersionArn=version_arn)

    def _train(self, record: JobRecord) -> None:
        """The job's work: measure on the holdout, then train on everything and save the model."""
        from personalize.metrics import evaluate  # numpy, scipy and implicit load with the first training
        from personalize.model import train
        from personalize.training_data import training_data

        started = time.monotonic()
        params = record.params
        recipe = recipe_by_arn(params["recipeArn"]).name
        hyper = (params.get("solutionConfig") or {}).get("algorithmHyperParameters") or {}
        group = params["datasetGroupArn"]
        items_dataset = self._dataset_of_type(group, "Items")
        interactions_dataset = self._dataset_of_type(group, "Interactions")
        data = training_data(self._state.store.interactions(group),
                             self._state.store.records(group, "Items"),
                             self._fields(items_dataset) if items_dataset else [], params.get("eventType"),
                             self._fields(interactions_dataset) if interactions_dataset else [])
        metrics = evaluate(data, lambda split: train(recipe, split, hyper))
        model = train(recipe, data, hyper)
        vid = version_id(record.job_id)
        model.save(self._state.model_path(vid))
        hours = (time.monotonic() - started) / 3600
        self._state.metrics_path(vid).write_text(json.dumps({"metrics": metrics, "trainingHours": hours}))

    def _version(self, version_arn: str) -> dict[str, Any]:
        props = jobs.job(self._state, SOLUTION_VERSION, version_arn)
        path = self._state.metrics_path(version_id(version_arn))
        if path.exists():
            props["trainingHours"] = json.loads(path.read_text())["trainingHours"]
        return props

    def _active_version(self, version_arn: str) -> dict[str, Any]:
        props = self._version(version_arn)
        if props["status"] != "ACTIVE":
            raise ResourceInUse(f"Solution version {version_arn} is {props['status']}, not ACTIVE: it is not"
                                " trained (yet).")
        return props

    @aws_operation(CONTROL, "DescribeSolutionVersion")
    def describe_solution_version(self, request):
        """Describe a solution version: CREATE PENDING, CREATE IN_PROGRESS, ACTIVE or CREATE FAILED."""
        return CONTROL.response("DescribeSolutionVersion")(solutionVersion=self._version(request.solutionVersionArn))

    @aws_operation(CONTROL, "ListSolutionVersions")
    def list_solution_versions(self, request):
        """The versions of a solution (or all), oldest first."""
        found = jobs.jobs(self._state, SOLUTION_VERSION, solutionArn=request.solutionArn)
        return listing("ListSolutionVersions", "solutionVersions", found, request, summary="SolutionVersionSummary")

    @aws_operation(CONTROL, "GetSolutionMetrics")
    def get_solution_metrics(self, request):
        """A trained version's offline metrics: precision_at_k, normalized_discounted_cumulative_gain_at_k,
        mean_reciprocal_rank_at_25 and coverage, on the newest interactions of held-out users."""
        self._active_version(request.solutionVersionArn)
        metrics = json.loads(self._state.metrics_path(version_id(request.solutionVersionArn)).read_text())["metrics"]
        return CONTROL.response("GetSolutionMetrics")(solutionVersionArn=request.solutionVersionArn, metrics=metrics)
