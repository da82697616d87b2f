def connects_returned(outcome):
    return outcome in RULES["returns.returned_reasons"] or outcome == "job_expired"


def connects_back(proposals):
    return sum(p["connects"] for p in proposals if connects_returned(p["outcome"]))
