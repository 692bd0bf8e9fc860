package legible

import "math"

// point is a position in the SVG's y-up drawing frame, in points.
type point struct{ x, y float64 }

// affine is a 2-D transform: x' = a·x + c·y + e, y' = b·x + d·y + f, as
// SVG writes matrix(a b c d e f).
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

// then applies m, then n.
func (m affine) then(n affine) affine {
	return affine{
		a: n.a*m.a + n.c*m.b, b: n.b*m.a + n.d*m.b,
		c: n.a*m.c + n.c*m.d, d: n.b*m.c + n.d*m.d,
		e: n.a*m.e + n.c*m.f + n.e, f: n.b*m.e + n.d*m.f + n.f,
	}
}

func (m affine) apply(p point) point {
	return point{m.a*p.x + m.c*p.y + m.e, m.b*p.x + m.d*p.y + m.f}
}

func rotation(degrees float64) affine {
	s, c := math.Sincos(degrees * math.Pi / 180)
	return affine{a: c, b: s, c: -s, d: c}
}

// quad is a convex box: a text's rectangle, perhaps rotated.
type quad [4]point

// inset is how far two boxes may run into each other before they
// overlap, in points: the glyphs' side bearings leave that much blank.
const inset = 0.5

// overlaps reports whether q and r share area deeper than inset, by the
// separating axis theorem.
func (q quad) overlaps(r quad) bool {
	for _, shape := range []quad{q, r} {
		for i := range shape {
			e := point{shape[(i+1)%4].x - shape[i].x, shape[(i+1)%4].y - shape[i].y}
			n := math.Hypot(e.x, e.y)
			if n == 0 {
				continue
			}
			axis := point{-e.y / n, e.x / n}
			qlo, qhi := q.project(axis)
			rlo, rhi := r.project(axis)
			if qhi-inset <= rlo+inset || rhi-inset <= qlo+inset {
				return false
			}
		}
	}
	return true
}

func (q quad) project(axis point) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range q {
		v := p.x*axis.x + p.y*axis.y
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// rect is an axis-aligned rectangle.
type rect struct{ min, max point }

// within reports whether q lies inside r, to within inset.
func (q quad) within(r rect) bool {
	for _, p := range q {
		if p.x < r.min.x-inset || p.x > r.max.x+inset || p.y < r.min.y-inset || p.y > r.max.y+inset {
			return false
		}
	}
	return true
}

func (r rect) contains(p point) bool {
	return p.x >= r.min.x && p.x <= r.max.x && p.y >= r.min.y && p.y <= r.max.y
}

// Overlap reports whether two text boxes, each given as its four corners
// in order (a rectangle, perhaps turned), share area deeper than Check
// allows: the same rule for boxes measured elsewhere, such as a browser's
// getBBox of a Mermaid chart's labels.
func Overlap(a, b [4][2]float64) bool {
	return quadOf(a).overlaps(quadOf(b))
}

func quadOf(c [4][2]float64) quad {
	var q quad
	for i, p := range c {
		q[i] = point{p[0], p[1]}
	}
	return q
}
