package translator

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/data"
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// The JSON Schema of the facts document (data/facts.schema.json) is generated
// from the Go types by reflection, with descriptions from their doc comments.
// Regenerate it after changing engine/facts:
//
//	go test ./translator -run TestFactsSchema -update

const factsSchemaFile = "facts.schema.json"

func init() {
	// Another test file of the package may define -update too; share it.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite generated files (data/facts.schema.json) instead of comparing them")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestFactsSchema(t *testing.T) {
	got, err := generateFactsSchema()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "data", factsSchemaFile)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	onDisk, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./translator -run TestFactsSchema -update)", err)
	}
	if !bytes.Equal(onDisk, got) {
		t.Errorf("%s drifted from the engine/facts types; regenerate: go test ./translator -run TestFactsSchema -update", path)
	}
	embedded, err := data.FS.ReadFile(factsSchemaFile)
	if err != nil || !bytes.Equal(embedded, onDisk) {
		t.Errorf("data.FS does not embed the current %s (err %v)", factsSchemaFile, err)
	}
}

// TestFactsSchema_ValidatesDocuments checks real documents against the
// committed schema, and that the check catches a wrong document.
func TestFactsSchema_ValidatesDocuments(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "data", factsSchemaFile))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	docs := map[string]*facts.Document{
		"linux":   ToFacts(richLinuxHost(5), factsCatalog(t)),
		"windows": ToFacts(richWindowsHost(), factsCatalog(t)),
		"empty":   ToFacts(nil, factsCatalog(t)),
	}
	for name, d := range docs {
		v := jsonValue(t, d)
		if errs := validateSchema(schema, schema, v, "$"); len(errs) > 0 {
			t.Errorf("%s document does not match the schema:\n%s", name, strings.Join(errs, "\n"))
		}
	}

	bad := jsonValue(t, docs["linux"]).(map[string]any)
	bad["os"].(map[string]any)["major"] = "24"
	bad["os"].(map[string]any)["state"] = "fine"
	bad["surprise"] = true
	delete(bad, "queries")
	errs := validateSchema(schema, schema, bad, "$")
	for _, want := range []string{"$.os.major", "$.os.state", "$.surprise", "$.queries"} {
		found := false
		for _, e := range errs {
			found = found || strings.HasPrefix(e, want+":")
		}
		if !found {
			t.Errorf("schema check missed %s; got %q", want, errs)
		}
	}
}

func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// generateFactsSchema renders the JSON Schema (draft 2020-12) of facts.Document.
func generateFactsSchema() ([]byte, error) {
	docs, err := factsDocComments(filepath.Join("..", "engine", "facts"))
	if err != nil {
		return nil, err
	}
	g := &schemaGen{defs: map[string]any{}, docs: docs}
	root := g.typeSchema(reflect.TypeOf(facts.Document{}))
	out := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "https://github.com/miccmac/miccmac-osq/data/facts.schema.json",
		"title":       "miccmac-osq facts document " + facts.SchemaVersion,
		"description": docs["Document"] + " Generated from engine/facts by go test ./translator -run TestFactsSchema -update; do not edit.",
		"$ref":        root["$ref"],
		"$defs":       g.defs,
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// schemaGen turns Go types into schema definitions.
type schemaGen struct {
	defs map[string]any
	docs map[string]string // "Type" and "Type.Field" -> doc comment
}

var stateType = reflect.TypeOf(facts.State(""))

// fieldEnums are closed value sets of plain string fields.
var fieldEnums = map[string][]string{
	"OS.family": {facts.FamilyDebian, facts.FamilyRHEL, facts.FamilySUSE, facts.FamilyAmazon,
		facts.FamilyDarwin, facts.FamilyWindows, facts.FamilyUnknown},
	"OS.kind": {"linux", "darwin", "windows", "unknown"},
}

func (g *schemaGen) typeSchema(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Pointer:
		inner := g.typeSchema(t.Elem())
		if _, ref := inner["$ref"]; ref {
			return map[string]any{"anyOf": []any{inner, map[string]any{"type": "null"}}}
		}
		inner["type"] = []any{inner["type"], "null"}
		return inner
	case reflect.Slice:
		return map[string]any{"type": []any{"array", "null"}, "items": g.typeSchema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": []any{"object", "null"}, "additionalProperties": g.typeSchema(t.Elem())}
	case reflect.Struct:
		name := defName(t)
		if _, done := g.defs[name]; !done {
			g.defs[name] = nil // placeholder against recursion
			g.defs[name] = g.structSchema(t, name)
		}
		return map[string]any{"$ref": "#/$defs/" + name}
	case reflect.String:
		if t == stateType {
			g.defs["State"] = map[string]any{"type": "string", "description": g.docs["State"],
				"enum": []string{string(facts.StateOK), string(facts.StateUnknown), string(facts.StateNotApplicable)}}
			return map[string]any{"$ref": "#/$defs/State"}
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	panic(fmt.Sprintf("facts schema: unsupported type %s", t))
}

// structSchema describes a struct as encoding/json writes it: embedded
// structs without a tag are inlined, omitempty fields are optional.
func (g *schemaGen) structSchema(t reflect.Type, name string) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type, owner string)
	walk = func(t reflect.Type, owner string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || !f.IsExported() {
				continue
			}
			jname, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && jname == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, baseName(f.Type))
				continue
			}
			if jname == "" {
				jname = f.Name
			}
			s := g.typeSchema(f.Type)
			if doc := g.docs[owner+"."+f.Name]; doc != "" {
				if _, ref := s["$ref"]; ref {
					s = map[string]any{"allOf": []any{s}, "description": doc}
				} else {
					s["description"] = doc
				}
			}
			if enum, ok := fieldEnums[name+"."+jname]; ok {
				s["enum"] = enum
			}
			if t == reflect.TypeOf(facts.Document{}) && jname == "schema_version" {
				s["const"] = facts.SchemaVersion
			}
			props[jname] = s
			if !strings.Contains(opts, "omitempty") {
				required = append(required, jname)
			}
		}
	}
	walk(t, baseName(t))
	sort.Strings(required)
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	if doc := g.docs[baseName(t)]; doc != "" {
		out["description"] = doc
	}
	return out
}

// baseName is the type's name without type arguments.
func baseName(t reflect.Type) string {
	n, _, _ := strings.Cut(t.Name(), "[")
	return n
}

// defName names a definition: Section[facts.Package] is PackageSection.
func defName(t reflect.Type) string {
	n := t.Name()
	base, arg, generic := strings.Cut(n, "[")
	if !generic {
		return n
	}
	arg = strings.TrimSuffix(arg, "]")
	arg = arg[strings.LastIndexAny(arg, "./")+1:]
	return arg + base
}

// factsDocComments reads the doc comments of the facts package's types and fields.
func factsDocComments(dir string) (map[string]string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil {
					doc = gd.Doc
				}
				docs[ts.Name.Name] = commentText(doc)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, fld := range st.Fields.List {
					text := commentText(fld.Doc)
					if text == "" {
						text = commentText(fld.Comment)
					}
					for _, n := range fld.Names {
						docs[ts.Name.Name+"."+n.Name] = text
					}
				}
			}
		}
	}
	return docs, nil
}

func commentText(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	return strings.Join(strings.Fields(cg.Text()), " ")
}

// validateSchema checks v against the subset of JSON Schema the generator
// writes ($ref, allOf, anyOf, type, const, enum, properties, required,
// additionalProperties, items) and returns one line per violation.
func validateSchema(root, s map[string]any, v any, at string) []string {
	if ref, ok := s["$ref"].(string); ok {
		def := root["$defs"].(map[string]any)[strings.TrimPrefix(ref, "#/$defs/")]
		if errs := validateSchema(root, def.(map[string]any), v, at); len(errs) > 0 {
			return errs
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if errs := validateSchema(root, sub.(map[string]any), v, at); len(errs) > 0 {
				return errs
			}
		}
	}
	if any_, ok := s["anyOf"].([]any); ok {
		var first []string
		matched := false
		for _, sub := range any_ {
			errs := validateSchema(root, sub.(map[string]any), v, at)
			if len(errs) == 0 {
				matched = true
				break
			}
			if first == nil {
				first = errs
			}
		}
		if !matched {
			return first
		}
	}
	if typ, ok := s["type"]; ok && !typeMatches(typ, v) {
		return []string{fmt.Sprintf("%s: %T does not match type %v", at, v, typ)}
	}
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		return []string{fmt.Sprintf("%s: %v is not the constant %v", at, v, c)}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || fmt.Sprint(e) == fmt.Sprint(v)
		}
		if !found {
			return []string{fmt.Sprintf("%s: %v is not one of %v", at, v, enum)}
		}
	}
	var errs []string
	switch val := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := val[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s.%s: required property missing", at, r))
			}
		}
		keys := make([]string, 0, len(val))
		for k := range val {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				errs = append(errs, validateSchema(root, ps.(map[string]any), val[k], at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap && props != nil {
					errs = append(errs, fmt.Sprintf("%s.%s: property not in the schema", at, k))
				}
			case map[string]any:
				errs = append(errs, validateSchema(root, ap, val[k], at+"."+k)...)
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range val {
				errs = append(errs, validateSchema(root, items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func typeMatches(typ any, v any) bool {
	switch tt := typ.(type) {
	case string:
		switch tt {
		case "null":
			return v == nil
		case "object":
			_, ok := v.(map[string]any)
			return ok
		case "array":
			_, ok := v.([]any)
			return ok
		case "string":
			_, ok := v.(string)
			return ok
		case "boolean":
			_, ok := v.(bool)
			return ok
		case "integer":
			n, ok := v.(json.Number)
			if !ok {
				return false
			}
			_, err := n.Int64()
			return err == nil
		case "number":
			_, ok := v.(json.Number)
			return ok
		}
	case []any:
		for _, one := range tt {
			if typeMatches(one, v) {
				return true
			}
		}
	}
	return false
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, fmt.Sprint(e))
	}
	return out
}
