def proposals_per_month(plan, required):
    """Whole proposals at `required` Connects each that `plan`'s monthly Connects pay for."""
    allowance = RULES[f"plan.{plan}.monthly_connects"]
    return allowance // required
