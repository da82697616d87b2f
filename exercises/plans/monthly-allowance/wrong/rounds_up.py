import math


def proposals_per_month(plan, required):
    return math.ceil(RULES[f"plan.{plan}.monthly_connects"] / required)
