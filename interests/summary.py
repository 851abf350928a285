def trajectory_summary(viewer):
    """Summary for the trajectory overview (see trajectories/summaries.py)."""
    return None
