"""ARNs of the resources this gateway creates. There is one local account: its id is AWS's
placeholder, so ARN parsers in client code keep working."""

ACCOUNT_ID = "000000000000"


def arn(service: str, region: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}"
