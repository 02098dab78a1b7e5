"""Drawings without Qt: strokes, a Drawing with undo/redo, preprocessing, image files."""
