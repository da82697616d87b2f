def balance_after(plan, opening_balance, monthly_spend, months):
    return opening_balance + months * (RULES[f"plan.{plan}.monthly_connects"] - monthly_spend)
