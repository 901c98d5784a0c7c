package webform

// Wizard steps, in the order the step indicator shows them (UI.md:
// Customer Details → Entity Details → Settings → License Allocation).
const (
	Details  = "details"
	Entities = "entities"
	Licenses = "licenses"
	Settings = "settings"
)

// Steps are the steps of the sidebar, in order, with their labels.
var Steps = []struct{ Key, Label string }{
	{Details, "Customer Details"},
	{Entities, "Entity Details"},
	{Settings, "Settings"},
	{Licenses, "License Allocation"},
}

// stepIndex returns the position of step key, or -1.
func StepIndex(key string) int {
	for i, s := range Steps {
		if s.Key == key {
			return i
		}
	}
	return -1
}

// validStep returns key if it names a step, else the first step.
func ValidStep(key string) string {
	if StepIndex(key) < 0 {
		return Details
	}
	return key
}

// nextStep and prevStep return the step after and before key, or "".
func NextStep(key string) string {
	if i := StepIndex(key); i >= 0 && i+1 < len(Steps) {
		return Steps[i+1].Key
	}
	return ""
}

func PrevStep(key string) string {
	if i := StepIndex(key); i > 0 {
		return Steps[i-1].Key
	}
	return ""
}

// lastStep is the step the Add wizard submits from.
var LastStep = Steps[len(Steps)-1].Key
