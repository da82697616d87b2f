def connects_spent(required, bid, top_slot_at_close, client_interacted):
    """Connects a proposal finally costs: the job's requirement, plus the bid when it is charged."""
    total = 0
    return total
