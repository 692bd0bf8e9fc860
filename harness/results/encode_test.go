package results

import (
	"bytes"
	"math/rand/v2"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// TestEncodeV2IsTheLibrarys: the pooled encoder writes the library's
// bytes for every shape of histogram, and the library decodes them.
func TestEncodeV2IsTheLibrarys(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := map[string]func(h *hdr.Histogram){
		"empty":     func(*hdr.Histogram) {},
		"one value": func(h *hdr.Histogram) { h.RecordValue(1234) },
		"lowest and highest": func(h *hdr.Histogram) {
			h.RecordValue(HistogramLowest)
			h.RecordValue(HistogramHighest)
		},
		"latencies": func(h *hdr.Histogram) {
			for range 60_000 {
				h.RecordValue(int64(100_000 + r.ExpFloat64()*2e6))
			}
		},
		"huge counts": func(h *hdr.Histogram) {
			h.RecordValues(5_000, 1<<40) // a count of 41 bits: a 6-byte varint
			h.RecordValues(7_000_000, 1)
		},
	}
	for name, fill := range cases {
		h := hdr.New(HistogramLowest, HistogramHighest, HistogramDigits)
		fill(h)
		want, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second from a reused encoder
			got := encodeV2(h)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: encoded\n%s\nthe library's\n%s", name, got, want)
			}
		}
		d, err := hdr.Decode(encodeV2(h))
		if err != nil || !d.Equals(h) {
			t.Errorf("%s: decodes to a different histogram (%v)", name, err)
		}
	}
}

// TestZigZagAtEveryLength: a count of each varint length, the ninth
// byte's included, encodes as the library's.
func TestZigZagAtEveryLength(t *testing.T) {
	for _, count := range []int64{1, 63, 64, 1 << 20, 1 << 50, 1 << 57, 1 << 62} {
		h := hdr.New(1, 1000, 3)
		h.RecordValues(500, count)
		want, _ := h.Encode(hdr.V2CompressedEncodingCookieBase)
		if got := encodeV2(h); !bytes.Equal(got, want) {
			t.Errorf("a count of %d encodes differently", count)
		}
	}
}

// BenchmarkEncode: the pooled encoder beside the library's, on a
// histogram of 60,000 latencies.
func BenchmarkEncode(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	h := hdr.New(HistogramLowest, HistogramHighest, HistogramDigits)
	for range 60_000 {
		h.RecordValue(int64(100_000 + r.ExpFloat64()*2e6))
	}
	b.Run("pooled", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			encodeV2(h)
		}
	})
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			h.Encode(hdr.V2CompressedEncodingCookieBase) //nolint:errcheck
		}
	})
}
