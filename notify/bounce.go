package notify

// SetBounceAddress has every reminder carry a VERP return path: address
// returns the bounce address of a student (mail.bounce_address with their
// signed token), so that a bounce says whose address failed. It is set once,
// before the first message is built.
func (m *Mailer) SetBounceAddress(address func(subscriberID int64) string) { m.bounceAddress = address }
