"""The web application: create_app(settings), shared dependencies, layout and error pages."""
