package export

import (
	"archive/zip"
	"bytes"
	"io"

	"github.com/allegiance/allegiance/network"
)

// This file is the only place that calls the CSV and FollowTheMoney
// writers of csv.go and ftm.go.

// dispatchFTM writes d as FollowTheMoney entities.
func dispatchFTM(w io.Writer, d *network.Dataset) error { return WriteFTM(w, d) }

// dispatchCSVZip writes d's two CSV files, nodes.csv and relationships.csv,
// as one zip archive. Entries carry no timestamp, so the archive is as
// deterministic as the files.
func dispatchCSVZip(w io.Writer, d *network.Dataset) error {
	var nodes, rels bytes.Buffer
	if err := WriteCSV(&nodes, &rels, d); err != nil {
		return err
	}
	z := zip.NewWriter(w)
	for _, f := range []struct {
		name string
		body *bytes.Buffer
	}{{"nodes.csv", &nodes}, {"relationships.csv", &rels}} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := f.body.WriteTo(fw); err != nil {
			return err
		}
	}
	return z.Close()
}
