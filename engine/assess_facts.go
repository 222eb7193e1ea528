package engine

import (
	"reflect"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

var originType = reflect.TypeOf(facts.Origin{})

// anySectionHasFacts walks the document's sections (reflection, so sections
// added to facts later count too) and reports whether one of them holds
// collected facts: a known list section with at least one item, or, when
// scalars is true, a known single-value section (os, hardware, clock ...).
// External records (attestation, inventory) are not device facts and are not
// looked at.
func anySectionHasFacts(doc *facts.Document, scalars bool) bool {
	return walkHasFacts(reflect.ValueOf(*doc), scalars)
}

func walkHasFacts(v reflect.Value, scalars bool) bool {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == originType {
			return false // judged by the enclosing section
		}
		if o, ok := embeddedOrigin(v); ok && o.Known() {
			items := v.FieldByName("Items")
			isList := items.IsValid() && items.Kind() == reflect.Slice
			if (isList && items.Len() > 0) || (!isList && scalars) {
				return true
			}
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.IsExported() && !f.Anonymous && walkHasFacts(v.Field(i), scalars) {
				return true
			}
		}
	}
	return false
}

// embeddedOrigin returns the struct's embedded facts.Origin, if it has one.
func embeddedOrigin(v reflect.Value) (facts.Origin, bool) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Anonymous && f.Type == originType {
			return v.Field(i).Interface().(facts.Origin), true
		}
	}
	return facts.Origin{}, false
}
