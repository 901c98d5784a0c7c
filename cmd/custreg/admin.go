package main

import "github.com/custreg/custreg/internal/domain"

func adminInput(c Config) domain.AdminInput {
	if c.AdminEmail == "" {
		return domain.AdminInput{}
	}
	return domain.AdminInput{Email: c.AdminEmail, Name: c.AdminName, Password: c.AdminPassword}
}
