# quizkit: wrong-when not boost.charge_if_outbid_before_interaction
def connects_spent(required, bid, top_slot_at_close, client_interacted):
    return required + bid
