# quizkit: the figures between double braces are filled in from the rules, so this attempt types the current ones.
def proposals_per_month(plan, required):
    allowance = {"basic": {{ plan.basic.monthly_connects }}, "plus": {{ plan.plus.monthly_connects }}}[plan]
    return allowance // required
