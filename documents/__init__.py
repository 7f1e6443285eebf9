"""Document services on embedded models: Amazon Textract and Amazon Kendra."""

SERVICES: list = []
