package main

import (
	"context"
	"errors"
)

// Stubs of commands under construction; each moves to its own file.

func runServe(ctx context.Context, e *env, args []string) error    { return errors.New("not yet") }
func runChat(ctx context.Context, e *env, args []string) error     { return errors.New("not yet") }
func runValidate(ctx context.Context, e *env, args []string) error { return errors.New("not yet") }
func runTest(ctx context.Context, e *env, args []string) error     { return errors.New("not yet") }
func runNLU(ctx context.Context, e *env, args []string) error      { return errors.New("not yet") }
