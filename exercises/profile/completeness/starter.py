def completeness(statuses):
    """Profile completeness from 0 to 100, weighting each section of PROFILE_SECTIONS."""
    earned = 0
    return earned
