package detectors

// All returns one instance of every detector in this package, in a fixed
// order: phone, email, postal code, My Number, birth date, age, names.
func All() []Detector {
	return []Detector{
		NewPhone(),
		Email{},
		Postal{},
		MyNumber{},
		BirthDate{},
		Age{},
		NameDetector{},
	}
}
