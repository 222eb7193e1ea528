package osqsim

import (
	"database/sql/driver"
	"math"
)

// The errors osquery reports when a C math function sets errno.
var (
	errDomain = osqueryError("Numerical argument out of domain") // EDOM
	errRange  = osqueryError("Numerical result out of range")    // ERANGE
)

// mathFuncs are osquery's one-argument double functions (sqlite_math.cpp),
// with the errno cases of the C library they call.
var mathFuncs = map[string]func(float64) (float64, error){
	"sqrt": func(x float64) (float64, error) {
		if x < 0 {
			return 0, errDomain
		}
		return math.Sqrt(x), nil
	},
	"acos": func(x float64) (float64, error) {
		if math.Abs(x) > 1 {
			return 0, errDomain
		}
		return math.Acos(x), nil
	},
	"asin": func(x float64) (float64, error) {
		if math.Abs(x) > 1 {
			return 0, errDomain
		}
		return math.Asin(x), nil
	},
	"atan": func(x float64) (float64, error) { return math.Atan(x), nil },
	"sin":  periodic(math.Sin),
	"cos":  periodic(math.Cos),
	"tan":  periodic(math.Tan),
	"cot":  periodic(func(x float64) float64 { return 1 / math.Tan(x) }),
	"exp": func(x float64) (float64, error) {
		r := math.Exp(x)
		if (math.IsInf(r, 1) && !math.IsInf(x, 1)) || (r == 0 && !math.IsInf(x, -1)) {
			return 0, errRange
		}
		return r, nil
	},
	"log":     logFunc(math.Log),
	"log10":   logFunc(math.Log10),
	"degrees": func(x float64) (float64, error) { return 180 * x / math.Pi, nil },
	"radians": func(x float64) (float64, error) { return x * math.Pi / 180, nil },
}

func periodic(f func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) {
		if math.IsInf(x, 0) {
			return 0, errDomain
		}
		return f(x), nil
	}
}

func logFunc(f func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) {
		switch {
		case x < 0:
			return 0, errDomain
		case x == 0:
			return 0, errRange
		}
		return f(x), nil
	}
}

// doubleFunc applies f to its argument read as a double; NULL gives NULL.
func doubleFunc(f func(float64) (float64, error)) func([]driver.Value) (driver.Value, error) {
	return func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil {
			return nil, nil
		}
		r, err := f(number(a[0]))
		if err != nil {
			return nil, err
		}
		return r, nil
	}
}

// castedFunc is osquery's ceil/floor: integers pass through, other values are
// rounded and returned as integers.
func castedFunc(f func(float64) float64) func([]driver.Value) (driver.Value, error) {
	return func(a []driver.Value) (driver.Value, error) {
		switch x := a[0].(type) {
		case nil:
			return nil, nil
		case int64:
			return x, nil
		default:
			return int64(f(number(x))), nil
		}
	}
}

func fnPower(a []driver.Value) (driver.Value, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	x, y := number(a[0]), number(a[1])
	r := math.Pow(x, y)
	switch {
	case x < 0 && !math.IsInf(x, 0) && y != math.Trunc(y) && !math.IsInf(y, 0):
		return nil, errDomain
	case math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0):
		return nil, errRange
	}
	return r, nil
}
