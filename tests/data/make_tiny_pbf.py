#!/usr/bin/env python3
"""Writes tests/data/tiny.osm.pbf: a made-up corner of a city in the OpenStreetMap PBF format
(no library needed), for tests of `tocsin places import --zones`. Run it from the repository
root; the output is committed, so this is only needed to change the data."""
import struct
import zlib

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def zigzag(n):
    return (n << 1) ^ (n >> 63)

def key(field, wire):
    return varint(field << 3 | wire)

def ln(field, data):
    return key(field, 2) + varint(len(data)) + data

def vint(field, n):
    return key(field, 0) + varint(n)

def packed(field, values):
    return ln(field, b"".join(varint(v) for v in values))

def deltas(values):
    prev, out = 0, []
    for v in values:
        out.append(zigzag(v - prev))
        prev = v
    return out

strings = [""]
def sid(s):
    if s not in strings:
        strings.append(s)
    return strings.index(s)

def tags(t):
    return packed(2, [sid(k) for k in t]) + packed(3, [sid(v) for v in t.values()]) if t else b""

def node(i, lat, lon, t=None):
    return vint(1, zigzag(i)) + tags(t or {}) + vint(8, zigzag(round(lat * 1e7))) + vint(9, zigzag(round(lon * 1e7)))

def way(i, refs, t):
    return vint(1, i) + tags(t) + packed(8, deltas(refs))

def relation(i, members, t):
    roles = [sid(role) for (_, _, role) in members]
    return (vint(1, i) + tags(t) + packed(8, roles) + packed(9, deltas([m for (m, _, _) in members]))
            + packed(10, [kind for (_, kind, _) in members]))

nodes = [
    node(1, 34.0600, -118.2915), node(2, 34.0690, -118.2915), node(3, 34.0750, -118.2915),
    node(10, 34.0690, -118.3000), node(11, 34.0690, -118.2800),
    node(20, 34.0691, -118.2900, {"addr:housenumber": "1234", "addr:street": "West 3rd Street"}),
    node(21, 34.0700, -118.2900, {"name": "Zion Market", "shop": "supermarket"}),
    node(30, 34.0649, -118.2913), node(31, 34.0649, -118.2911), node(32, 34.0651, -118.2911), node(33, 34.0651, -118.2913),
    node(40, 34.05, -118.31), node(41, 34.05, -118.28), node(42, 34.08, -118.28), node(43, 34.08, -118.31),
    node(50, 34.055, -118.28), node(51, 34.055, -118.27), node(52, 34.065, -118.27), node(53, 34.065, -118.28),
]
ways = [
    way(100, [30, 31, 32, 33, 30], {"building": "yes", "addr:housenumber": "3300", "addr:street": "South Vermont Avenue"}),
    way(200, [1, 2, 3], {"highway": "primary", "name": "South Vermont Avenue"}),
    way(201, [10, 2, 11], {"highway": "secondary", "name": "West 3rd Street"}),
    way(301, [40, 41, 42], {}),
    way(302, [42, 43, 40], {}),
    way(303, [50, 51, 52, 53, 50], {"place": "suburb", "name": "Westlake"}),
]
relations = [relation(300, [(301, 1, "outer"), (302, 1, "outer")],
                      {"type": "boundary", "boundary": "administrative", "admin_level": "10", "name": "Koreatown"})]

groups = [b"".join(ln(1, n) for n in nodes), b"".join(ln(3, w) for w in ways), b"".join(ln(4, r) for r in relations)]
block_groups = b"".join(ln(2, g) for g in groups)
block = ln(1, b"".join(ln(1, s.encode()) for s in strings)) + block_groups

def blob(kind, data):
    body = vint(2, len(data)) + ln(3, zlib.compress(data))
    header = ln(1, kind.encode()) + vint(3, len(body))
    return struct.pack(">I", len(header)) + header + body

header_block = ln(4, b"OsmSchema-V0.6") + ln(16, b"tocsin tests")
with open("tests/data/tiny.osm.pbf", "wb") as f:
    f.write(blob("OSMHeader", header_block) + blob("OSMData", block))
