"""Request and response models of Amazon Polly's operations (botocore polly 2016-06-10).

Members are named as AWS names them; the classes of nested shapes are named apart from their
members (`Lexicon: LexiconContent`) because pydantic evaluates a member's type in the class body.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from core.service import Blob, Shape

EngineValue = Literal["standard", "neural", "long-form", "generative"]
OutputFormatValue = Literal["json", "mp3", "ogg_opus", "ogg_vorbis", "pcm", "mulaw", "alaw"]
SpeechMarkTypeValue = Literal["sentence", "ssml", "viseme", "word"]
TextTypeValue = Literal["ssml", "text"]
TaskStatusValue = Literal["scheduled", "inProgress", "completed", "failed"]
LexiconName = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,20}$")]


class SynthesisSettings(Shape):
    """What SynthesizeSpeech and StartSpeechSynthesisTask share. The required members come first, so
    that in process `synthesize_speech("Hello", "Joanna", "mp3")` reads naturally."""

    Text: str
    VoiceId: str
    OutputFormat: OutputFormatValue
    Engine: EngineValue | None = None
    LanguageCode: str | None = None
    LexiconNames: list[str] | None = Field(default=None, max_length=5)
    SampleRate: str | None = None
    SpeechMarkTypes: list[SpeechMarkTypeValue] | None = Field(default=None, max_length=4)
    TextType: TextTypeValue | None = None


class SynthesizeSpeechRequest(SynthesisSettings):
    pass


class SynthesizeSpeechResponse(Shape):
    AudioStream: Blob | None = None  # the audio, or JSON lines of speech marks
    ContentType: str | None = None
    RequestCharacters: int | None = None


class Voice(Shape):
    Gender: Literal["Female", "Male"] | None = None
    Id: str | None = None
    LanguageCode: str | None = None
    LanguageName: str | None = None
    Name: str | None = None
    AdditionalLanguageCodes: list[str] | None = None
    SupportedEngines: list[EngineValue] | None = None


class DescribeVoicesRequest(Shape):
    Engine: EngineValue | None = None
    LanguageCode: str | None = None
    IncludeAdditionalLanguageCodes: bool | None = None
    NextToken: str | None = None


class DescribeVoicesResponse(Shape):
    Voices: list[Voice] = []
    NextToken: str | None = None


class PutLexiconRequest(Shape):
    Name: LexiconName
    Content: str
    Tags: dict[str, str] | None = None


class PutLexiconResponse(Shape):
    pass


class LexiconNameRequest(Shape):
    Name: LexiconName


class GetLexiconRequest(LexiconNameRequest):
    pass


class DeleteLexiconRequest(LexiconNameRequest):
    pass


class DeleteLexiconResponse(Shape):
    pass


class LexiconContent(Shape):
    Content: str | None = None
    Name: str | None = None


class LexiconInfo(Shape):
    Alphabet: str | None = None
    LanguageCode: str | None = None
    LastModified: datetime | None = None
    LexiconArn: str | None = None
    LexemesCount: int | None = None
    Size: int | None = None


class GetLexiconResponse(Shape):
    Lexicon: LexiconContent | None = None
    LexiconAttributes: LexiconInfo | None = None


class LexiconDescription(Shape):
    Name: str | None = None
    Attributes: LexiconInfo | None = None


class ListLexiconsRequest(Shape):
    NextToken: str | None = None


class ListLexiconsResponse(Shape):
    Lexicons: list[LexiconDescription] = []
    NextToken: str | None = None


class StartSpeechSynthesisTaskRequest(SynthesisSettings):
    OutputS3BucketName: str
    OutputS3KeyPrefix: str | None = None
    SnsTopicArn: str | None = None


class Task(Shape):
    Engine: EngineValue | None = None
    TaskId: str | None = None
    TaskStatus: TaskStatusValue | None = None
    TaskStatusReason: str | None = None
    OutputUri: str | None = None
    CreationTime: datetime | None = None
    RequestCharacters: int | None = None
    SnsTopicArn: str | None = None
    LexiconNames: list[str] | None = None
    OutputFormat: OutputFormatValue | None = None
    SampleRate: str | None = None
    SpeechMarkTypes: list[SpeechMarkTypeValue] | None = None
    TextType: TextTypeValue | None = None
    VoiceId: str | None = None
    LanguageCode: str | None = None


class StartSpeechSynthesisTaskResponse(Shape):
    SynthesisTask: Task | None = None


class GetSpeechSynthesisTaskRequest(Shape):
    TaskId: str


class GetSpeechSynthesisTaskResponse(Shape):
    SynthesisTask: Task | None = None


class ListSpeechSynthesisTasksRequest(Shape):
    MaxResults: int | None = Field(default=None, ge=1, le=100)
    NextToken: str | None = None
    Status: TaskStatusValue | None = None


class ListSpeechSynthesisTasksResponse(Shape):
    NextToken: str | None = None
    SynthesisTasks: list[Task] = []
