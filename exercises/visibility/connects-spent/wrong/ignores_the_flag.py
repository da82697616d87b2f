# quizkit: wrong-when not boost.charge_if_outbid_before_interaction
def connects_spent(required, bid, top_slot_at_close, client_interacted):
    """Connects a proposal finally costs: the job's requirement, plus the bid when it is charged."""
    charged = top_slot_at_close or client_interacted
    return required + (bid if charged else 0)
