router = object()
