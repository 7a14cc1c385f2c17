// Added to FerretDB's SQLite backend by KeyShift's sandbox installer: a query by _id uses the _id
// index for every _id type MongoDB applications use, as it does on MongoDB.

package sqlite

import (
	"math"
	"strconv"
	"strings"

	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// maxIDPushdown bounds the placeholders of one query, well below SQLite's limit.
const maxIDPushdown = 1000

// idPushdown returns the texts the _id index may hold for a document the filter's _id condition
// matches ({_id: v}, {_id: {$eq: v}} or {_id: {$in: [...]}}, also inside an $and, or an $or of such
// conditions and of {field: {$in: []}}, which matches nothing: the shape of a key vault lookup by key
// id), or nil when
// the condition is absent or not narrowed here. The texts may match more documents than the filter
// (a string and an ObjectId of the same hex digits); the handler applies the whole filter to what the
// query returns.
func idPushdown(filter *types.Document) []any {
	if filter.Len() == 1 {
		if or, err := filter.Get("$or"); err == nil {
			return orPushdown(or)
		}
	}

	// A document matching an $and matches each of its branches: any branch's _id condition narrows.
	if and, err := filter.Get("$and"); err == nil {
		if branches, ok := and.(*types.Array); ok {
			for i := 0; i < branches.Len(); i++ {
				if branch, ok := must.NotFail(branches.Get(i)).(*types.Document); ok {
					if texts := idPushdown(branch); texts != nil {
						return texts
					}
				}
			}
		}
	}

	v, err := filter.Get("_id")
	if err != nil {
		return nil
	}

	values := []any{v}

	if operator, ok := v.(*types.Document); ok {
		if operator.Len() != 1 {
			return nil
		}

		if eq, err := operator.Get("$eq"); err == nil {
			values = []any{eq}
		} else if in, err := operator.Get("$in"); err == nil {
			array, ok := in.(*types.Array)
			if !ok || array.Len() == 0 || array.Len() > maxIDPushdown {
				return nil
			}

			values = make([]any, array.Len())
			for i := range values {
				values[i] = must.NotFail(array.Get(i))
			}
		} else {
			return nil
		}
	}

	var texts []any

	for _, value := range values {
		valueTexts := idTexts(value)
		if valueTexts == nil {
			return nil
		}

		texts = append(texts, valueTexts...)
	}

	if len(texts) > maxIDPushdown {
		return nil
	}

	return texts
}

// orPushdown returns the _id texts of an $or whose branches are each an _id condition or an $in of
// nothing, or nil for any other $or.
func orPushdown(or any) []any {
	branches, ok := or.(*types.Array)
	if !ok || branches.Len() == 0 {
		return nil
	}

	var texts []any

	for i := 0; i < branches.Len(); i++ {
		branch, ok := must.NotFail(branches.Get(i)).(*types.Document)
		if !ok || branch.Len() != 1 {
			return nil
		}

		if branch.Has("_id") {
			branchTexts := idPushdown(branch)
			if branchTexts == nil {
				return nil
			}

			texts = append(texts, branchTexts...)

			continue
		}

		if !matchesNothing(must.NotFail(branch.Get(branch.Keys()[0]))) {
			return nil
		}
	}

	if len(texts) == 0 || len(texts) > maxIDPushdown {
		return nil
	}

	return texts
}

// matchesNothing is true for the condition {$in: []}.
func matchesNothing(condition any) bool {
	operator, ok := condition.(*types.Document)
	if !ok || operator.Len() != 1 {
		return false
	}

	in, err := operator.Get("$in")
	if err != nil {
		return false
	}

	array, ok := in.(*types.Array)

	return ok && array.Len() == 0
}

// idTexts returns the SJSON texts of every stored _id equal to v, or nil for a type not narrowed here.
func idTexts(v any) []any {
	switch v := v.(type) {
	case string, types.ObjectID, types.Binary:
		return []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
	case int32:
		return integerTexts(float64(v))
	case int64:
		if v < -maxExactInteger || v > maxExactInteger {
			return nil
		}

		return integerTexts(float64(v))
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > maxExactInteger {
			return nil
		}

		return integerTexts(v)
	}

	return nil
}

// maxExactInteger is 2^53: up to it, an int32, an int64 and a double of the same value are all stored
// as the same decimal digits, so one text finds the three.
const maxExactInteger = 1 << 53

// integerTexts returns the stored texts of an integral number: its digits, and "-0" too for zero
// (a double -0 equals 0).
func integerTexts(f float64) []any {
	digits := strconv.FormatInt(int64(f), 10)
	if f == 0 {
		return []any{digits, "-0"}
	}

	return []any{digits}
}

// placeholders returns n comma-separated SQL placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
