"""Face collections: Create/Delete/List/DescribeCollection, IndexFaces, ListFaces, DeleteFaces,
SearchFaces and SearchFacesByImage over vision/face_store.py."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Annotated, Literal

import numpy as np
import pydantic

from core.arns import arn
from core.errors import InvalidPaginationToken, InvalidParameter, ResourceAlreadyExists, ResourceNotFound
from core.paging import offset_page
from core.service import Shape, operation
from vision.engines.face_embedding_dlib import MODEL_VERSION
from vision.face_details import face_detail, ratio_box
from vision.face_matching import QUALITY_FLOORS, FaceEmbeddingOperations, similarity, threshold_distance
from vision.face_store import FaceStore, StoredFace
from vision.faces import MESH_ATTRIBUTES
from vision.shapes import Attribute, BoundingBox, FaceDetail, Image, QualityFilterValue

CollectionIdText = Annotated[str, pydantic.StringConstraints(min_length=1, max_length=255,
                                                             pattern=r"^[a-zA-Z0-9_.\-]+$")]
FaceIdText = Annotated[str, pydantic.StringConstraints(
    pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
ExternalImageIdText = Annotated[str, pydantic.StringConstraints(min_length=1, max_length=255,
                                                            pattern=r"^[a-zA-Z0-9_.\-:]+$")]
INDEX_FACES_MODEL_VERSION = "1.0"  # the member's pattern wants digits; FaceModelVersion names the model
REGION = "us-east-1"
DEFAULT_PAGE = 1000
DEFAULT_MATCH_THRESHOLD = 80.0
DEFAULT_MAX_FACES = 80


class CreateCollectionRequest(Shape):
    CollectionId: CollectionIdText
    Tags: dict[str, str] | None = None


class CreateCollectionResponse(Shape):
    StatusCode: int
    CollectionArn: str
    FaceModelVersion: str


class CollectionRequest(Shape):
    CollectionId: CollectionIdText


class DeleteCollectionResponse(Shape):
    StatusCode: int


class ListCollectionsRequest(Shape):
    NextToken: str | None = None
    MaxResults: int | None = pydantic.Field(default=None, ge=0, le=4096)


class ListCollectionsResponse(Shape):
    CollectionIds: list[str]
    NextToken: str | None = None
    FaceModelVersions: list[str]


class DescribeCollectionResponse(Shape):
    FaceCount: int
    FaceModelVersion: str
    CollectionARN: str
    CreationTimestamp: datetime
    UserCount: int = 0


class Face(Shape):
    FaceId: str
    BoundingBox: BoundingBox
    ImageId: str
    ExternalImageId: str | None = None
    Confidence: float
    IndexFacesModelVersion: str = INDEX_FACES_MODEL_VERSION


class IndexFacesRequest(Shape):
    CollectionId: CollectionIdText
    Image: Image
    ExternalImageId: ExternalImageIdText | None = None
    DetectionAttributes: list[Attribute] | None = None
    MaxFaces: int | None = pydantic.Field(default=None, ge=1)
    QualityFilter: QualityFilterValue | None = None


# An optional member named after its own shape would resolve to its default: this name stands for it.
FaceDetailShape = FaceDetail


class FaceRecord(Shape):
    Face: Face
    FaceDetail: FaceDetail


class UnindexedFace(Shape):
    Reasons: list[Literal["EXCEEDS_MAX_FACES", "LOW_CONFIDENCE", "LOW_FACE_QUALITY"]]
    FaceDetail: FaceDetailShape | None = None


class IndexFacesResponse(Shape):
    FaceRecords: list[FaceRecord]
    FaceModelVersion: str = MODEL_VERSION
    UnindexedFaces: list[UnindexedFace]


class ListFacesRequest(Shape):
    CollectionId: CollectionIdText
    NextToken: str | None = None
    MaxResults: int | None = pydantic.Field(default=None, ge=0, le=4096)
    UserId: str | None = None  # accepted; this gateway has no users in collections
    FaceIds: list[FaceIdText] | None = pydantic.Field(default=None, min_length=1, max_length=4096)


class ListFacesResponse(Shape):
    Faces: list[Face]
    NextToken: str | None = None
    FaceModelVersion: str = MODEL_VERSION


class DeleteFacesRequest(Shape):
    CollectionId: CollectionIdText
    FaceIds: list[FaceIdText] = pydantic.Field(min_length=1, max_length=4096)


class UnsuccessfulFaceDeletion(Shape):
    FaceId: str
    Reasons: list[Literal["ASSOCIATED_TO_AN_EXISTING_USER", "FACE_NOT_FOUND"]]


class DeleteFacesResponse(Shape):
    DeletedFaces: list[str]
    UnsuccessfulFaceDeletions: list[UnsuccessfulFaceDeletion]


class SearchFacesRequest(Shape):
    CollectionId: CollectionIdText
    FaceId: FaceIdText
    MaxFaces: int | None = pydantic.Field(default=None, ge=1, le=4096)
    FaceMatchThreshold: float | None = pydantic.Field(default=None, ge=0, le=100)


class FaceMatch(Shape):
    Similarity: float
    Face: Face


class SearchFacesResponse(Shape):
    SearchedFaceId: str
    FaceMatches: list[FaceMatch]
    FaceModelVersion: str = MODEL_VERSION


class SearchFacesByImageRequest(Shape):
    CollectionId: CollectionIdText
    Image: Image
    MaxFaces: int | None = pydantic.Field(default=None, ge=1, le=4096)
    FaceMatchThreshold: float | None = pydantic.Field(default=None, ge=0, le=100)
    QualityFilter: QualityFilterValue | None = None


class SearchFacesByImageResponse(Shape):
    SearchedFaceBoundingBox: BoundingBox
    SearchedFaceConfidence: float
    FaceMatches: list[FaceMatch]
    FaceModelVersion: str = MODEL_VERSION


def _collection_arn(collection_id: str) -> str:
    return arn("rekognition", REGION, f"collection/{collection_id}")


class CollectionOperations(FaceEmbeddingOperations):
    def _faces_store(self) -> FaceStore:
        # Read per call: the gateway configures the registry's settings after services are built.
        return FaceStore.at(self._models.settings.data_dir / "rekognition")

    def _existing(self, store: FaceStore, collection_id: str) -> None:
        if store.collection(collection_id) is None:
            raise ResourceNotFound(f"The collection id: {collection_id} does not exist")

    def _matches(self, store: FaceStore, collection_id: str, query: np.ndarray, threshold: float | None,
                 max_faces: int | None, skip: str | None = None) -> list[FaceMatch]:
        floor = DEFAULT_MATCH_THRESHOLD if threshold is None else threshold
        limit = (max_faces or DEFAULT_MAX_FACES) + (1 if skip else 0)
        found = [(fid, d) for fid, d in store.nearest(collection_id, query, threshold_distance(floor), limit)
                 if fid != skip][:max_faces or DEFAULT_MAX_FACES]
        records = {f.face_id: f for f in store.faces(collection_id, [fid for fid, _ in found])}
        scores = similarity(np.array([d for _, d in found]))
        return [FaceMatch(Similarity=float(s), Face=_face(records[fid])) for (fid, _), s in zip(found, scores)
                if fid in records]

    @operation
    def create_collection(self, request: CreateCollectionRequest) -> CreateCollectionResponse:
        """A new, empty face collection."""
        if not self._faces_store().create(request.CollectionId):
            raise ResourceAlreadyExists(f"The collection id: {request.CollectionId} already exists")
        return CreateCollectionResponse(StatusCode=200, CollectionArn=_collection_arn(request.CollectionId),
                                        FaceModelVersion=MODEL_VERSION)

    @operation
    def delete_collection(self, request: CollectionRequest) -> DeleteCollectionResponse:
        """The collection and every face in it."""
        if not self._faces_store().delete(request.CollectionId):
            raise ResourceNotFound(f"The collection id: {request.CollectionId} does not exist")
        return DeleteCollectionResponse(StatusCode=200)

    @operation
    def list_collections(self, request: ListCollectionsRequest) -> ListCollectionsResponse:
        """Collection ids, in name order, a page at a time."""
        ids = [c.id for c in self._faces_store().collections()]
        page, token = offset_page(ids, request.NextToken, request.MaxResults, default_size=DEFAULT_PAGE,
                                  error=InvalidPaginationToken)
        return ListCollectionsResponse(CollectionIds=page, NextToken=token,
                                       FaceModelVersions=[MODEL_VERSION] * len(page))

    @operation
    def describe_collection(self, request: CollectionRequest) -> DescribeCollectionResponse:
        """How many faces the collection holds, and when it was made."""
        found = self._faces_store().collection(request.CollectionId)
        if found is None:
            raise ResourceNotFound(f"The collection id: {request.CollectionId} does not exist")
        return DescribeCollectionResponse(
            FaceCount=found.face_count, FaceModelVersion=MODEL_VERSION, CollectionARN=_collection_arn(found.id),
            CreationTimestamp=datetime.fromtimestamp(found.created, tz=timezone.utc))

    @operation
    def index_faces(self, request: IndexFacesRequest) -> IndexFacesResponse:
        """Adds the image's faces to the collection, largest first, up to MaxFaces."""
        store = self._faces_store()
        self._existing(store, request.CollectionId)
        image = self._image(request.Image)
        # AWS filters IndexFaces on quality unless told NONE; the faces left out are reported.
        floor = QUALITY_FLOORS[request.QualityFilter or "AUTO"]
        measured = bool(MESH_ATTRIBUTES & set(request.DetectionAttributes or []))
        image_id = str(uuid.uuid4())
        records, unindexed, rows = [], [], []
        for found in self._embedded_faces(image):
            detail = None
            if found.face.mesh is not None:
                detail = face_detail(found.face, image.pixels, all_attributes=measured)
            if found.face.score < floor:
                unindexed.append(UnindexedFace(Reasons=["LOW_CONFIDENCE"], FaceDetail=detail))
            elif detail is None:
                unindexed.append(UnindexedFace(Reasons=["LOW_FACE_QUALITY"]))
            elif request.MaxFaces is not None and len(records) >= request.MaxFaces:
                unindexed.append(UnindexedFace(Reasons=["EXCEEDS_MAX_FACES"], FaceDetail=detail))
            else:
                face = Face(FaceId=str(uuid.uuid4()), ImageId=image_id, ExternalImageId=request.ExternalImageId,
                            BoundingBox=ratio_box(found.face.box, image.width, image.height),
                            Confidence=found.face.score * 100)
                records.append(FaceRecord(Face=face, FaceDetail=detail))
                rows.append(found.embedding)
        if records:
            added = store.add(request.CollectionId, image_id, request.ExternalImageId,
                              [(r.Face.FaceId, r.Face.BoundingBox.model_dump(), r.Face.Confidence) for r in records],
                              np.stack(rows))
            if not added:
                raise ResourceNotFound(f"The collection id: {request.CollectionId} does not exist")
        return IndexFacesResponse(FaceRecords=records, UnindexedFaces=unindexed)

    @operation
    def list_faces(self, request: ListFacesRequest) -> ListFacesResponse:
        """The collection's faces in the order they were indexed, a page at a time."""
        store = self._faces_store()
        self._existing(store, request.CollectionId)
        faces = [_face(f) for f in store.faces(request.CollectionId, request.FaceIds)]
        page, token = offset_page(faces, request.NextToken, request.MaxResults, default_size=DEFAULT_PAGE,
                                  error=InvalidPaginationToken)
        return ListFacesResponse(Faces=page, NextToken=token)

    @operation
    def delete_faces(self, request: DeleteFacesRequest) -> DeleteFacesResponse:
        """Removes faces from the collection; ids it does not hold come back as FACE_NOT_FOUND."""
        store = self._faces_store()
        self._existing(store, request.CollectionId)
        deleted = store.remove(request.CollectionId, request.FaceIds)
        missing = [fid for fid in request.FaceIds if fid not in deleted]
        return DeleteFacesResponse(DeletedFaces=deleted, UnsuccessfulFaceDeletions=[
            UnsuccessfulFaceDeletion(FaceId=fid, Reasons=["FACE_NOT_FOUND"]) for fid in missing])

    @operation
    def search_faces(self, request: SearchFacesRequest) -> SearchFacesResponse:
        """Faces of the collection like one of its own faces (which is left out of the answer)."""
        store = self._faces_store()
        self._existing(store, request.CollectionId)
        query = store.vector(request.CollectionId, request.FaceId)
        if query is None:
            raise InvalidParameter(f"The face {request.FaceId} is not in the collection {request.CollectionId}.")
        return SearchFacesResponse(SearchedFaceId=request.FaceId, FaceMatches=self._matches(
            store, request.CollectionId, query, request.FaceMatchThreshold, request.MaxFaces, skip=request.FaceId))

    @operation
    def search_faces_by_image(self, request: SearchFacesByImageRequest) -> SearchFacesByImageResponse:
        """Faces of the collection like the largest face of the image."""
        store = self._faces_store()
        self._existing(store, request.CollectionId)
        image = self._image(request.Image)
        searched = self._largest_face(image, "image", request.QualityFilter)
        return SearchFacesByImageResponse(
            SearchedFaceBoundingBox=ratio_box(searched.face.box, image.width, image.height),
            SearchedFaceConfidence=searched.face.score * 100,
            FaceMatches=self._matches(store, request.CollectionId, searched.embedding, request.FaceMatchThreshold,
                                      request.MaxFaces))


def _face(stored: StoredFace) -> Face:
    return Face(FaceId=stored.face_id, BoundingBox=BoundingBox(**stored.box), ImageId=stored.image_id,
                ExternalImageId=stored.external_image_id, Confidence=stored.confidence)
