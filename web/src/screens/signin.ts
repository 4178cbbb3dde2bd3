import type { Screen } from '../context.js';
import { formField, h, onSubmit, problemMessage } from '../dom.js';

/** Sign in, or register as a customer or a provider (managers and admins are granted by an admin). */
export const screen: Screen = (root, ctx) => {
  const error = h('p', { class: 'form-error', id: 'signin-error', role: 'alert' });

  const loginEmail = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const loginPassword = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const login = h(
    'form',
    { class: 'card', 'aria-labelledby': 'signin-title' },
    h('h2', { id: 'signin-title' }, 'Sign in'),
    formField('Email', loginEmail),
    formField('Password', loginPassword),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  onSubmit(login, async () => {
    error.textContent = '';
    try {
      await ctx.client.login({ email: loginEmail.value, password: loginPassword.value });
      ctx.navigate('#/events');
    } catch (e) {
      error.textContent = problemMessage(e);
    }
  });

  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    minlength: 8,
    required: true,
  });
  const role = h(
    'select',
    { name: 'role' },
    h('option', { value: 'customer' }, 'Customer: book seats, tables, appointments'),
    h('option', { value: 'provider' }, 'Provider: offer appointments'),
  );
  const register = h(
    'form',
    { class: 'card', 'aria-labelledby': 'register-title' },
    h('h2', { id: 'register-title' }, 'Create an account'),
    formField('Name', name),
    formField('Email', email),
    formField('Password (at least 8 characters)', password),
    formField('Account type', role),
    h('button', { type: 'submit' }, 'Create account'),
  );
  onSubmit(register, async () => {
    error.textContent = '';
    try {
      await ctx.client.register({
        name: name.value,
        email: email.value,
        password: password.value,
        role: role.value as 'customer' | 'provider',
      });
      ctx.navigate('#/events');
    } catch (e) {
      error.textContent = problemMessage(e);
    }
  });

  root.append(h('h1', {}, 'Welcome to the box office'), error, h('div', { class: 'columns' }, login, register));
  return () => undefined;
};
