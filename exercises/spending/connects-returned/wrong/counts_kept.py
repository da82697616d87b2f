def connects_returned(outcome):
    return outcome in RULES["returns.returned_reasons"]


def connects_back(proposals):
    return sum(p["connects"] for p in proposals if not connects_returned(p["outcome"]))
