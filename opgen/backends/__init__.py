"""One module per backend: the files of its packages and the context each template reads."""
