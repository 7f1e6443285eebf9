"""Speech services on embedded models: Amazon Transcribe and Amazon Polly."""

SERVICES: list = []
