import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { FleetStore, liveUrl } from './live/fleetStore';
import { StoreContext } from './live/hooks';
import './styles.css';

const store = new FleetStore(liveUrl());
store.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
