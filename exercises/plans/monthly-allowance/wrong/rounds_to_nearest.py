def proposals_per_month(plan, required):
    return round(RULES[f"plan.{plan}.monthly_connects"] / required)
