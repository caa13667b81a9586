package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ValidateJSON checks that data is a JSON document valid against the JSON
// schema in the file schemaPath (the draft is taken from its "$schema";
// formats such as date-time are asserted). It is meant for tests: the CLI
// tests validate their --format json output with it.
func ValidateJSON(data []byte, schemaPath string) error {
	abs, err := filepath.Abs(schemaPath)
	if err != nil {
		return fmt.Errorf("report: schema path: %w", err)
	}
	raw, err := os.ReadFile(abs)
	if err != nil {
		return fmt.Errorf("report: reading schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("report: parsing schema %s: %w", schemaPath, err)
	}
	loc := filepath.ToSlash(abs)
	if !strings.HasPrefix(loc, "/") { // C:/... on Windows
		loc = "/" + loc
	}
	loc = "file://" + loc
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(loc, doc); err != nil {
		return fmt.Errorf("report: loading schema %s: %w", schemaPath, err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		return fmt.Errorf("report: compiling schema %s: %w", schemaPath, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("report: parsing report JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("report: report does not match schema %s: %w", filepath.Base(schemaPath), err)
	}
	return nil
}
