"""One module per ``sarcokg`` command; each is a thin layer over a package."""
