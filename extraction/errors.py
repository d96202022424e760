"""Errors a reader or extractor raises for a file it cannot read: each becomes an error record.

`type` is the machine name written to `{"error": {"type", "message"}}`; the message is for a person
and says what to do where something can be done.
"""


class ExtractionError(Exception):
    type = "extraction_error"

    def __init__(self, message: str, type: str | None = None):
        super().__init__(message)
        if type:
            self.type = type


class UnsupportedFormat(ExtractionError):
    type = "unsupported_format"


class UnreadableFile(ExtractionError):
    type = "unreadable_file"


class EncryptedFile(ExtractionError):
    type = "encrypted_pdf"


class NoTextLayer(ExtractionError):
    type = "no_text_layer"


class FileTooLarge(ExtractionError):
    type = "file_too_large"


class MissingTool(ExtractionError):
    type = "missing_tool"


class TimeLimit(ExtractionError):
    type = "time_limit"
