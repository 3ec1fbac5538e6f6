//! A static, packed R-tree (the layout of flatbush): boxes sorted along a Hilbert curve, every
//! `NODE` consecutive boxes of a level bounded by one box of the level above, all levels in
//! one flat vector of `f32` boxes. Leaf `i` is item `i`: the caller stores its items in
//! `order()`'s order, so the items a query meets are also neighbours in memory.
//!
//! Boxes are `[min x, min y, max x, max y]`, compared inclusively with the query point.

/// Children per node.
const NODE: usize = 16;

#[derive(Debug, Clone, Default)]
pub(super) struct Packed {
    /// Level 0 (the items) first, then each level of parents, the root last.
    boxes: Vec<[f32; 4]>,
    /// `levels[k]..levels[k + 1]` are level k's boxes.
    levels: Vec<usize>,
}

impl Packed {
    /// The order to store items in: by the Hilbert index of their box centres.
    pub fn order(boxes: &[[f32; 4]]) -> Vec<usize> {
        let centre = |b: &[f32; 4]| [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for c in boxes.iter().map(centre) {
            lo = [lo[0].min(c[0]), lo[1].min(c[1])];
            hi = [hi[0].max(c[0]), hi[1].max(c[1])];
        }
        let scale = |k: usize, v: f32| -> u32 {
            let span = hi[k] - lo[k];
            if span > 0.0 {
                (((v - lo[k]) / span) * 65535.0) as u32
            } else {
                0
            }
        };
        let mut keyed: Vec<(u32, u32)> = boxes
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let c = centre(b);
                (hilbert(scale(0, c[0]), scale(1, c[1])), i as u32)
            })
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i as usize).collect()
    }

    /// The tree over `leaves`, item `i` having box `leaves[i]`.
    pub fn build(leaves: Vec<[f32; 4]>) -> Packed {
        let mut boxes = leaves;
        let mut levels = vec![0, boxes.len()];
        while levels[levels.len() - 1] - levels[levels.len() - 2] > 1 {
            let (start, end) = (levels[levels.len() - 2], levels[levels.len() - 1]);
            let mut i = start;
            while i < end {
                let group = &boxes[i..(i + NODE).min(end)];
                let mut b = group[0];
                for g in &group[1..] {
                    b = [b[0].min(g[0]), b[1].min(g[1]), b[2].max(g[2]), b[3].max(g[3])];
                }
                boxes.push(b);
                i += NODE;
            }
            levels.push(boxes.len());
        }
        Packed { boxes, levels }
    }

    /// Number of items (leaves).
    pub fn len(&self) -> usize {
        self.levels.get(1).copied().unwrap_or(0)
    }

    /// Calls `f(i)` for every item whose box holds `p`.
    #[inline]
    pub fn visit(&self, p: [f32; 2], f: &mut impl FnMut(usize)) {
        if self.len() > 0 {
            let top = self.levels.len() - 2;
            self.visit_level(top, self.levels[top], self.levels[top + 1], p, f);
        }
    }

    fn visit_level(&self, level: usize, from: usize, to: usize, p: [f32; 2], f: &mut impl FnMut(usize)) {
        let mut hits = holding(&self.boxes[from..to], p);
        if level == 0 {
            while hits != 0 {
                f(from + hits.trailing_zeros() as usize);
                hits &= hits - 1;
            }
            return;
        }
        let (below, below_end, here) = (self.levels[level - 1], self.levels[level], self.levels[level]);
        while hits != 0 {
            let first = below + (from + hits.trailing_zeros() as usize - here) * NODE;
            self.visit_level(level - 1, first, (first + NODE).min(below_end), p, f);
            hits &= hits - 1;
        }
    }
}

/// Bit `i` set when `boxes[i]` (at most `NODE` of them) holds `p`; no branches, so the
/// unpredictable answers cost no mispredictions.
#[inline]
fn holding(boxes: &[[f32; 4]], p: [f32; 2]) -> u32 {
    let mut hits = 0u32;
    for (i, b) in boxes.iter().enumerate() {
        let hit = (b[0] <= p[0]) & (p[0] <= b[2]) & (b[1] <= p[1]) & (p[1] <= b[3]);
        hits |= u32::from(hit) << i;
    }
    hits
}

/// Position along a Hilbert curve of a point on a 2^16 x 2^16 grid (the bit-parallel method
/// flatbush uses, after rawrunprotected.com's "Hilbert curves in O(log n) time").
fn hilbert(x: u32, y: u32) -> u32 {
    let mut a = x ^ y;
    let mut b = 0xFFFF ^ a;
    let mut c = 0xFFFF ^ (x | y);
    let mut d = x & (y ^ 0xFFFF);

    let mut aa = a | (b >> 1);
    let mut bb = (a >> 1) ^ a;
    let mut cc = ((c >> 1) ^ (b & (d >> 1))) ^ c;
    let mut dd = ((a & (c >> 1)) ^ (d >> 1)) ^ d;

    a = aa;
    b = bb;
    c = cc;
    d = dd;
    aa = (a & (a >> 2)) ^ (b & (b >> 2));
    bb = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
    cc ^= (a & (c >> 2)) ^ (b & (d >> 2));
    dd ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));

    a = aa;
    b = bb;
    c = cc;
    d = dd;
    aa = (a & (a >> 4)) ^ (b & (b >> 4));
    bb = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
    cc ^= (a & (c >> 4)) ^ (b & (d >> 4));
    dd ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));

    a = aa;
    b = bb;
    c = cc;
    d = dd;
    cc ^= (a & (c >> 8)) ^ (b & (d >> 8));
    dd ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));

    a = cc ^ (cc >> 1);
    b = dd ^ (dd >> 1);

    let mut i0 = x ^ y;
    let mut i1 = b | (0xFFFF ^ (i0 | a));
    i0 = (i0 | (i0 << 8)) & 0x00FF_00FF;
    i0 = (i0 | (i0 << 4)) & 0x0F0F_0F0F;
    i0 = (i0 | (i0 << 2)) & 0x3333_3333;
    i0 = (i0 | (i0 << 1)) & 0x5555_5555;
    i1 = (i1 | (i1 << 8)) & 0x00FF_00FF;
    i1 = (i1 | (i1 << 4)) & 0x0F0F_0F0F;
    i1 = (i1 | (i1 << 2)) & 0x3333_3333;
    i1 = (i1 | (i1 << 1)) & 0x5555_5555;
    (i1 << 1) | i0
}
