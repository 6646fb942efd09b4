"""HTTP benchmark of the real server (wrk + uvicorn) and the in-process plan path."""
