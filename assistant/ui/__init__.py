"""The Gradio app: built from a ready answer engine; no business logic here."""
