"""Geometry: pure functions over arrays (meshes, fields, points, renders)."""

from .cleanup import MeshCleanup, count_parts, remove_floaters
from .inside import inside_mesh, winding_number
from .marching import evaluate_grid, evaluate_grid_sparse, extract_mesh, field_to_mesh, grid_points
from .mesh_io import MeshReadError, read_mesh, write_mesh
from .normalize import Normalization, fit_unit_cube, normalize_mesh
from .placement import Placement, stand_on_floor, y_up_to_z_up, z_up_to_y_up
from .render import DEFAULT_VIEWS, Renders, contact_sheet, render_field, render_mesh, render_sdf
from .sampling import face_normals_and_areas, sample_queries, sample_surface

__all__ = [
    "count_parts",
    "remove_floaters",
    "MeshCleanup",
    "Placement",
    "stand_on_floor",
    "y_up_to_z_up",
    "z_up_to_y_up",
    "inside_mesh",
    "winding_number",
    "evaluate_grid",
    "evaluate_grid_sparse",
    "extract_mesh",
    "field_to_mesh",
    "grid_points",
    "MeshReadError",
    "read_mesh",
    "write_mesh",
    "Normalization",
    "fit_unit_cube",
    "normalize_mesh",
    "DEFAULT_VIEWS",
    "Renders",
    "contact_sheet",
    "render_field",
    "render_mesh",
    "render_sdf",
    "face_normals_and_areas",
    "sample_queries",
    "sample_surface",
]
