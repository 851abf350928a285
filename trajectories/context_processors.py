def participant(request):
    return {"participant": getattr(request, "participant", None)}


# The tab of each trajectories page; every other app's pages under /t/<pk>/ are that app's tab.
_TRAJECTORIES_TABS = {
    "detail": "overview",
    "welcome": "overview",
    "settings": "settings",
    "member_add": "settings",
    "member_remove": "settings",
    "delete": "settings",
    "my_data": "overview",
    "my_settings": "overview",
    "removal_request": "overview",
}


def active_tab(request):
    """`active_tab` for trajectories/_layout.html, from the URL: views no longer pass it.

    The `viewer` stays explicit in each view's context on purpose: a shared, cached fragment
    rendered without one must show nothing viewer-specific, never the requester's view.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or "trajectory_pk" not in match.kwargs:
        return {}
    if match.app_name == "trajectories":
        return {"active_tab": _TRAJECTORIES_TABS.get(match.url_name, "partners")}
    return {"active_tab": match.app_name}
