def proposals_per_month(plan, required):
    return RULES[f"plan.{plan}.monthly_connects"] / required
