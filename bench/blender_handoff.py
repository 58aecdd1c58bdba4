"""Mesh handoff into Blender, timed with the PyPI bpy module (run by bench/run.py in its own process).

    python bench/blender_handoff.py MESH.npz OUT.json

Times (1) building a mesh datablock from flat arrays with foreach_set (what the add-on does when
a new level arrives) and (2) swapping the preview object's mesh to a cached level (what scrubbing
to a level seen before costs), each as the median of several repetitions after a warm-up.
"""

import json
import statistics
import sys
import time
from array import array
from pathlib import Path

import bpy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "blender_addon"))
import scene_meshes  # noqa: E402  (the add-on's mesh building: build_mesh is the code under test)

data = np.load(sys.argv[1])
verts = array("f", data["vertices"].astype(np.float32).ravel().tobytes())
faces = array("i", data["faces"].astype(np.int32).ravel().tobytes())
build, swap = [], []
meshes = [scene_meshes.build_mesh("warmup", verts, faces)]
obj = bpy.data.objects.new("preview", meshes[0])
bpy.context.scene.collection.objects.link(obj)
for i in range(7):
    t = time.perf_counter()
    meshes.append(scene_meshes.build_mesh(f"level{i}", verts, faces))
    build.append(time.perf_counter() - t)
for i in range(50):
    t = time.perf_counter()
    obj.data = meshes[i % len(meshes)]
    bpy.context.view_layer.update()
    swap.append(time.perf_counter() - t)
Path(sys.argv[2]).write_text(
    json.dumps(
        {
            "triangles": len(faces) // 3,
            "vertices": len(verts) // 3,
            "build_mesh_ms": 1000 * statistics.median(build),
            "cached_swap_ms": 1000 * statistics.median(swap),
        }
    )
)
