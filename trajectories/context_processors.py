def participant(request):
    return {"participant": getattr(request, "participant", None)}
