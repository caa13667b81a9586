package detectors

// All returns one instance of every detector in this package, in a fixed
// order: phone, email, postal code, My Number, birth date, age, names,
// then the contextual rules of patterns/rules.toml (one RuleSet).
func All() []Detector {
	return append([]Detector{
		NewPhone(),
		Email{},
		Postal{},
		MyNumber{},
		BirthDate{},
		Age{},
		NameDetector{},
	}, builtinRules())
}
