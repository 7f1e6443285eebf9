"""Computer-vision services on embedded models: Amazon Rekognition."""

SERVICES: list = []
