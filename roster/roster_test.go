package roster

import (
	"slices"
	"strings"
	"testing"
)

// cp1252 encodes s (Latin letters only) as Windows-1252, as French Excel
// writes it.
func cp1252(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case r < 0x100:
			out = append(out, byte(r))
		case r == '€':
			out = append(out, 0x80)
		default:
			panic("not in the test's Windows-1252: " + string(r))
		}
	}
	return out
}

// TestFrenchExcel: semicolons, Windows-1252 and a BOM-less file, French
// headers, bad rows reported by line, good rows kept.
func TestFrenchExcel(t *testing.T) {
	data := cp1252("Courriel;Nom;Langue;Rappels\r\nines@example.org;Inès Hélène;fr;7d,2d\r\npas-une-adresse;Zoé;fr;\r\n\r\nleo@example.org;Léo;EN;14 3 1\r\nines@example.org;Encore;fr;\r\nmax@example.org;Max;de;\r\n")
	rows, bad, err := Read(strings.NewReader(string(data)), "eleves.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Sub.Name != "Inès Hélène" || !slices.Equal(rows[0].Sub.Offsets, []int{7, 2}) || rows[0].Line != 2 {
		t.Fatalf("rows: %+v", rows)
	}
	if rows[1].Sub.Lang != "en" || !slices.Equal(rows[1].Sub.Offsets, []int{14, 3, 1}) || rows[1].Line != 5 || !rows[1].Sub.FollowAll {
		t.Errorf("row 2: %+v", rows[1])
	}
	want := []string{"eleves.csv:3: invalid email address", "eleves.csv:6: ines@example.org already on line 2", "eleves.csv:7: lang"}
	if len(bad) != len(want) {
		t.Fatalf("bad: %v", bad)
	}
	for i, w := range want {
		if !strings.HasPrefix(bad[i].Error(), w) {
			t.Errorf("bad[%d] = %q, want %q...", i, bad[i], w)
		}
	}
}

// TestBOMAndCommas: a UTF-8 file with a BOM and commas, the English header.
func TestBOMAndCommas(t *testing.T) {
	rows, bad, err := Read(strings.NewReader("\ufeffemail,name,offsets,offers,search\nsam@example.org,Sam,\"7d,1d\",,mediation type:stage\nkim@example.org,Kim,,1 2,\n"), "s.csv")
	if err != nil || len(bad) != 0 || len(rows) != 2 {
		t.Fatalf("%+v %v %v", rows, bad, err)
	}
	if rows[0].Sub.Searches[0] != "mediation type:stage" || rows[0].Sub.FollowAll || !slices.Equal(rows[1].Sub.Offers, []int64{1, 2}) {
		t.Errorf("rows: %+v", rows)
	}
}

func TestBadFiles(t *testing.T) {
	for name, in := range map[string]string{
		"empty":          "",
		"unknown column": "email;age\n",
		"no email":       "name;lang\n",
		"twice":          "email;courriel\n",
		"binary":         "\x00\x01\x02\x00",
	} {
		if _, _, err := Read(strings.NewReader(in), name+".csv"); err == nil || !strings.Contains(err.Error(), name+".csv") {
			t.Errorf("%s: %v, want an error naming the file", name, err)
		}
	}
	big := strings.NewReader("email\n" + strings.Repeat("a", MaxSize))
	if _, _, err := Read(big, "big.csv"); err == nil {
		t.Error("a file over MaxSize was read")
	}
}

func TestParseOffsets(t *testing.T) {
	for in, want := range map[string][]int{"14,3,1": {14, 3, 1}, "7d, 2d": {7, 2}, "0": {0}} {
		if got, err := ParseOffsets(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseOffsets(%q) = %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "7,7", "-1", "366", "x", "1,2,3,4,5,6,7,8,9,10,11"} {
		if _, err := ParseOffsets(in); err == nil {
			t.Errorf("ParseOffsets(%q) accepted", in)
		}
	}
}
